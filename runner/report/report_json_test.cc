#include "runner/report/report_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace onsmqtt::runner {
namespace {

TEST(JsonReport, CarriesTheTypedResult) {
  RunResult run;
  run.info = {
      "endpoint", "https://h", "cn-hangzhou", "2020-04-20", "0.1.0", "host", 9, "onsmqtt-runner --target https://h",
      ""};
  run.started = TimePoint(std::chrono::seconds(0));
  run.interrupted = true;
  ScenarioResult s;
  s.name = "n";
  s.classname = "c";
  s.file = "f.yaml";
  s.line = 4;
  s.tags = {"a", "b"};
  s.description = "what the contract says";
  s.attempts_allowed = 2;
  s.verdict = Verdict::kFailed;
  s.message = "one line";
  StepResult step;
  step.name = "call";
  step.verdict = Verdict::kFailed;
  step.failures.push_back({FailureKind::kBody, "$.X", "1", "2", {"f.yaml", 9, 3}});
  Exchange e;
  e.request_line = "POST /?A=1";
  e.status = 400;
  e.code = "Throttling.User";
  e.message = "Request was denied due to user flow control.";
  e.body = std::string("bad utf8 \xff");
  step.exchanges.push_back(e);
  s.steps.push_back(step);
  s.earlier_attempts.push_back({Verdict::kError, "timed out", "detail", 1.5});
  run.files.push_back({"f.yaml", "suite", {s}, TimePoint(std::chrono::seconds(60)), 0.25});
  nlohmann::json j = nlohmann::json::parse(RenderJson(run));
  EXPECT_EQ(j.at("info").at("target"), "endpoint");
  EXPECT_EQ(j.at("info").at("seed"), 9);
  EXPECT_EQ(j.at("interrupted"), true);
  EXPECT_EQ(j.at("started"), "1970-01-01T00:00:00Z");
  const auto& f = j.at("files").at(0);
  EXPECT_EQ(f.at("started"), "1970-01-01T00:01:00Z");
  const auto& sc = f.at("scenarios").at(0);
  EXPECT_EQ(sc.at("verdict"), "failed");
  EXPECT_EQ(sc.at("tags"), nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(sc.at("line"), 4);
  EXPECT_EQ(sc.at("earlier_attempts").at(0).at("verdict"), "error");
  EXPECT_EQ(sc.at("description"), "what the contract says");
  EXPECT_EQ(sc.at("attempts_allowed"), 2);
  EXPECT_EQ(sc.at("rerun"), "onsmqtt-runner --target https://h f.yaml --filter '^c\\.n$'");
  EXPECT_EQ(j.at("counts"), nlohmann::json({{"tests", 1}, {"passed", 0}, {"failed", 1}, {"error", 0}, {"skipped", 0}}));
  const auto& st = sc.at("steps").at(0);
  EXPECT_EQ(st.at("failures").at(0).at("location"), "f.yaml:9:3");
  EXPECT_EQ(st.at("exchanges").at(0).at("code"), "Throttling.User");
  EXPECT_EQ(st.at("exchanges").at(0).at("message"), "Request was denied due to user flow control.");
  EXPECT_EQ(st.at("exchanges").at(0).at("body"), "bad utf8 \xef\xbf\xbd") << "invalid UTF-8 is replaced, not fatal";
  EXPECT_FALSE(st.contains("connect"));
}

TEST(JsonReport, AConnectStepCarriesItsRecord) {
  RunResult run;
  ScenarioResult s;
  StepResult step;
  step.name = "connect";
  step.verdict = Verdict::kFailed;
  step.failures.push_back(
      {FailureKind::kConnect, "connect", "connack 0 (accepted)", "closed (reset)", {"f.yaml", 9, 17}});
  ConnectRecord c;
  c.server = "127.0.0.1:1";
  c.server_name = "localhost";
  c.protocol = "3.1.1";
  c.client_id = "GID_x@@@y";
  c.certificate_sn = "1f";
  c.certificate_cn = "device";
  c.chain = 2;
  c.tls_version = "TLSv1.2";
  c.outcome = "closed (reset)";
  step.connect = c;
  s.steps.push_back(step);
  run.files.push_back({"f.yaml", "suite", {s}, TimePoint(), 0});
  nlohmann::json j = nlohmann::json::parse(RenderJson(run));
  const auto& st = j.at("files").at(0).at("scenarios").at(0).at("steps").at(0);
  EXPECT_EQ(st.at("failures").at(0).at("kind"), "connect");
  EXPECT_EQ(st.at("exchanges"), nlohmann::json::array());
  const auto& r = st.at("connect");
  EXPECT_EQ(r.at("server"), "127.0.0.1:1");
  EXPECT_EQ(r.at("server_name"), "localhost");
  EXPECT_EQ(r.at("protocol"), "3.1.1");
  EXPECT_EQ(r.at("client_id"), "GID_x@@@y");
  EXPECT_EQ(r.at("certificate_sn"), "1f");
  EXPECT_EQ(r.at("certificate_cn"), "device");
  EXPECT_EQ(r.at("chain"), 2);
  EXPECT_EQ(r.at("handshake_only"), false);
  EXPECT_EQ(r.at("tls_version"), "TLSv1.2");
  EXPECT_EQ(r.at("outcome"), "closed (reset)");
}

}  // namespace
}  // namespace onsmqtt::runner
