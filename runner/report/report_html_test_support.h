#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "runner/result/result.h"

// The run the HTML report's tests render (report_html_test.cc, and
// report_html_sample_test.cc for the browser test): every verdict, a
// retry, tags, a description, whole exchanges with text that needs
// escaping, and coverage with gaps. Fixed times, no clock.
namespace onsmqtt::runner::testing {

inline TimePoint HtmlAt(int64_t epoch_seconds, int millis = 0) {
  return TimePoint(std::chrono::seconds(epoch_seconds) + std::chrono::milliseconds(millis));
}

// A V3 call answered 400, as the executor records it (already redacted).
inline Exchange HtmlSampleExchange() {
  Exchange e;
  e.action = "ActiveDeviceCertificate";
  e.scheme = "v3";
  e.format = "JSON";
  e.request.method = "POST";
  e.request.path = "/";
  e.request.query = "MqttInstanceId=post-cn-platinum01&DeviceSn=aa&CaSn=bb";
  e.request.headers = {
      {"Host", "127.0.0.1:40001"},
      {"x-acs-action", "ActiveDeviceCertificate"},
      {"x-acs-date", "2026-11-18T11:06:40Z"},
      {"x-acs-signature-nonce", "3f1c9a0e5b7d4e2f"},
      {"Authorization",
       "ACS3-HMAC-SHA256 Credential=LTAI5tUnknownKey0001,SignedHeaders=host;x-acs-action;x-acs-date,Signature=***"},
  };
  e.request.body = "note=<script>alert(1)</script> & more";
  e.request_line = "POST /?MqttInstanceId=post-cn-platinum01&DeviceSn=aa&CaSn=bb";
  e.curl =
      "curl -sS -X POST -H 'Authorization: ACS3-HMAC-SHA256 Credential=LTAI5tUnknownKey0001,"
      "SignedHeaders=host;x-acs-action;x-acs-date,Signature=***' "
      "'http://127.0.0.1:40001/?MqttInstanceId=post-cn-platinum01&DeviceSn=aa&CaSn=bb'";
  e.status = 400;
  e.request_id = "0A1B2C3D-0000-4000-8000-00000000000A";
  e.code = "InvalidDeviceSn";
  e.message = "The DeviceSn <aa> is invalid & unknown";
  e.response_headers = {{"Content-Type", "application/json;charset=utf-8"},
                        {"x-acs-request-id", "0A1B2C3D-0000-4000-8000-00000000000A"}};
  e.body =
      "{\"RequestId\":\"0A1B2C3D-0000-4000-8000-00000000000A\",\"Code\":\"InvalidDeviceSn\","
      "\"Message\":\"<script>alert(1)</script> & 'quotes' \\\"x\\\" \x01\x1b[31m\xff\"}";
  e.generated = {{"nonce", "3f1c9a0e5b7d4e2f"}, {"timestamp", "2026-11-18T11:06:40Z"}};
  e.seconds = 0.003;
  return e;
}

inline ScenarioResult HtmlScenario(const std::string& file, const std::string& classname, const std::string& name,
                                   int line, Verdict verdict) {
  ScenarioResult s;
  s.file = file;
  s.classname = classname;
  s.name = name;
  s.line = line;
  s.verdict = verdict;
  s.seconds = 0.0125;
  return s;
}

inline FileResult HtmlFirstFile() {
  FileResult a;
  a.path = "scenarios/active_device_certificate/errors.yaml";
  a.suite = "active_device_certificate.errors";
  a.started = HtmlAt(1795000000, 250);
  a.seconds = 0.0625;
  ScenarioResult pass = HtmlScenario(a.path, "onsmqtt.adc.errors", "activates a certificate", 3, Verdict::kPassed);
  pass.tags = {"smoke", "adc"};
  StepResult ok;
  ok.name = "activate";
  ok.seconds = 0.004;
  Exchange answered = HtmlSampleExchange();
  answered.status = 200;
  answered.code.clear();
  answered.message.clear();
  answered.body = "{\"RequestId\":\"0A1B2C3D-0000-4000-8000-00000000000B\",\"Success\":true}";
  ok.exchanges.push_back(answered);
  pass.steps.push_back(ok);

  ScenarioResult fail =
      HtmlScenario(a.path, "onsmqtt.adc.errors", "unknown <DeviceSn> & \"quotes\"", 20, Verdict::kFailed);
  fail.tags = {"adc", "needs review"};
  fail.description = "An unknown DeviceSn is <FindDeviceBySnError>, never a success.";
  StepResult step;
  step.name = "activate";
  step.verdict = Verdict::kFailed;
  step.seconds = 0.005;
  step.failures.push_back(
      {FailureKind::kCode, "$.Code", "\"FindDeviceBySnError\"", "\"InvalidDeviceSn\"", {a.path, 27, 13}});
  step.failures.push_back({FailureKind::kStatus, "status", "one of [404]", "400", {a.path, 26, 13}});
  step.exchanges.push_back(HtmlSampleExchange());
  fail.steps.push_back(step);
  StepResult cleanup;
  cleanup.name = "cleanup: deactivate";
  cleanup.cleanup = true;
  cleanup.verdict = Verdict::kError;
  cleanup.error = "transport error (connect): cannot reach http://127.0.0.1:1";
  cleanup.error_kind = ErrorKind::kTransport;
  fail.steps.push_back(cleanup);
  fail.message = "step \"activate\": $.Code: expected \"FindDeviceBySnError\", got \"InvalidDeviceSn\" (and 1 more)";
  a.scenarios = {pass, fail};
  return a;
}

inline FileResult HtmlSecondFile() {
  FileResult b;
  b.path = "scenarios/auth/signature.yaml";
  b.suite = "auth.signature";
  b.started = HtmlAt(1795000001);
  b.seconds = 1.25;
  ScenarioResult skipped = HtmlScenario(b.path, "onsmqtt.auth.signature", "stale timestamp", 8, Verdict::kSkipped);
  skipped.tags = {"auth"};
  skipped.seconds = 0;
  skipped.message = "needs a mock target: the nonce cache is the mock's";
  ScenarioResult error = HtmlScenario(b.path, "onsmqtt.auth.signature", "unreachable", 30, Verdict::kError);
  StepResult broken;
  broken.name = "call";
  broken.verdict = Verdict::kError;
  broken.error = "transport error (connect): cannot reach http://127.0.0.1:1: connection refused";
  broken.error_kind = ErrorKind::kTransport;
  Exchange none;
  none.request_line = "POST /?Action=QueryDevice&Signature=***";
  none.curl = "curl -sS -X POST 'http://127.0.0.1:1/?Action=QueryDevice&Signature=***'";
  broken.exchanges.push_back(none);
  error.steps.push_back(broken);
  error.message = "step \"call\": " + broken.error;
  ScenarioResult flaky = HtmlScenario(b.path, "onsmqtt.auth.signature", "flaky burst", 40, Verdict::kPassed);
  flaky.tags = {"auth", "burst"};
  flaky.description = "passes on a retry";
  flaky.attempts_allowed = 3;
  flaky.earlier_attempts.push_back({Verdict::kError, "timed out", "step \"burst\":\n  error: timed out\n", 1.0});
  StepResult burst;
  burst.name = "burst";
  burst.burst_summary = "500 success, 600 Throttling.User, 0 unanswered in 0.210 s";
  Exchange sample = HtmlSampleExchange();
  sample.burst_sample = true;
  sample.status = 503;
  sample.code = "Throttling.User";
  sample.message = "Request was denied due to user flow control.";
  burst.exchanges.push_back(sample);
  flaky.steps.push_back(burst);
  StepResult connect;
  connect.name = "the device is refused";
  ConnectRecord record;
  record.server = "127.0.0.1:8883";
  record.server_name = "post-cn-platinum01.mqtt.aliyuncs.com";
  record.protocol = "5.0";
  record.client_id = "GID_onsmqtt@@@0a1b2c3d4e5f";
  record.certificate_sn = "1f2e3d4c5b6a79880f1e2d3c4b5a6978";
  record.certificate_cn = "device-a-unregistered";
  record.chain = 1;
  record.tls_version = "TLSv1.2";
  record.outcome = "connack 135 (not authorized)";
  record.handshake_seconds = 0.004;
  record.seconds = 0.0125;
  connect.connect = record;
  flaky.steps.push_back(connect);
  b.scenarios = {skipped, error, flaky};
  return b;
}

inline CoveragePair HtmlPair(const std::string& code, CoverageState state, std::vector<ExchangeRef> refs = {},
                             std::vector<int> statuses = {}) {
  CoveragePair p;
  p.operation = "ActiveDeviceCertificate";
  p.code = code;
  p.state = state;
  p.exchanges = std::move(refs);
  p.statuses = std::move(statuses);
  return p;
}

inline Coverage HtmlSampleCoverage() {
  Coverage c;
  c.computed = true;
  c.gate = true;
  CoveragePair waived = HtmlPair("ApiNotSupport", CoverageState::kWaived);
  waived.waiver = "no account can be put in that state";
  waived.waiver_loc = {"scenarios/waivers.yaml", 4, 7};
  c.pairs = {HtmlPair("InvalidDeviceSn", CoverageState::kDemonstrated, {{0, 0, 0, 0}}, {400}),
             HtmlPair("FindDeviceBySnError", CoverageState::kMissing), waived,
             HtmlPair("Throttling.User", CoverageState::kUndocumented, {{1, 2, 0, 0}}, {503})};
  c.common = {HtmlPair("Throttling.User", CoverageState::kDemonstrated, {{1, 2, 0, 0}}, {503})};
  return c;
}

inline RunResult HtmlSampleRun() {
  RunResult run;
  run.info = {"mock", "embedded", "cn-hangzhou", "2020-04-20", "0.1.0", "ci-host", 42, "build/runner/onsmqtt-runner",
              ""};
  run.started = HtmlAt(1795000000);
  run.seconds = 1.5;
  run.files = {HtmlFirstFile(), HtmlSecondFile()};
  run.coverage = HtmlSampleCoverage();
  return run;
}

}  // namespace onsmqtt::runner::testing
