// Client mode's pure parts: the request line, the surfaced answer the
// matchers see, the wire judgement from a journal entry, the skip reasons.
#include "runner/execute/client_step.h"

#include <gtest/gtest.h>

#include "runner/execute/contract_check.h"
#include "runner/execute/executor.h"
#include "runner/execute/step.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

using Json = nlohmann::json;

std::vector<std::string> Sentences(const std::vector<AssertionFailure>& failures) {
  std::vector<std::string> out;
  for (const AssertionFailure& f : failures) {
    EXPECT_EQ(f.kind, FailureKind::kClient);
    out.push_back(f.actual);
  }
  return out;
}

PreparedCall Prepared() {
  PreparedCall p;
  p.call.action = "ActiveDeviceCertificate";
  p.call.params = {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "d1"}, {"CaSn", ""}};
  p.call.method = HttpMethod::kPost;
  p.creds.access_key_id = "LTAIid";
  p.creds.access_key_secret = "the-secret";
  p.operation = BuiltinContract().FindOperation("ActiveDeviceCertificate");
  return p;
}

TEST(ClientRequest, KeepsTheParameterOrderAndLeavesOutWhatTheStepDidNotChoose) {
  CallSpec spec;
  auto r = ClientRequestJson(Prepared(), spec, "http://127.0.0.1:1", "cn-hangzhou", 7, 30000);
  EXPECT_EQ(r.dump(),
            R"({"id":7,"action":"ActiveDeviceCertificate","params":{"MqttInstanceId":"post-cn-1","DeviceSn":"d1",)"
            R"("CaSn":""},"endpoint":"http://127.0.0.1:1","region":"cn-hangzhou","credentials":{"id":"LTAIid",)"
            R"("secret":"the-secret"},"method":"POST","timeout_ms":30000})");
  PreparedCall sts = Prepared();
  sts.creds.security_token = "CAIS-token";
  spec.format = "XML";
  spec.scheme = SignatureScheme::kV1;
  r = ClientRequestJson(sts, spec, "http://127.0.0.1:1", "cn-hangzhou", 8, 5);
  EXPECT_EQ(r["credentials"]["token"], "CAIS-token");
  EXPECT_EQ(r["format"], "XML");
  EXPECT_EQ(r["scheme"], "v1");
}

TEST(SurfacedAnswer, CodeMessageAndRequestIdAreTheSurfacedOnes) {
  Json answer = {{"id", 1},
                 {"ok", false},
                 {"status", 403},
                 {"code", "X.Y"},
                 {"message", "no way"},
                 {"body", {{"Code", "Body.Code"}, {"RequestId", "R1"}, {"HostId", "h"}}},
                 {"headers", {{"x-acs-request-id", "R1"}}}};
  Answer a = SurfacedAnswer(answer);
  EXPECT_EQ(a.status, 403);
  ASSERT_TRUE(a.json);
  EXPECT_EQ((*a.json)["Code"], "X.Y");
  EXPECT_EQ((*a.json)["Message"], "no way");
  EXPECT_FALSE(a.json->contains("RequestId"));  // not surfaced: removed, although the body had it
  EXPECT_EQ((*a.json)["HostId"], "h");
  ASSERT_EQ(a.headers.size(), 1u);
  EXPECT_EQ(a.headers[0].second, "R1");
  EXPECT_EQ(OutcomeOf(a), "X.Y");
}

TEST(SurfacedAnswer, AnXmlBodyGivenAsTextIsReadWithTheContractsTypes) {
  Json answer = {{"id", 1},
                 {"ok", true},
                 {"status", 200},
                 {"request_id", "R2"},
                 {"body",
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ActiveDeviceCertificateResponse>"
                  "<RequestId>R2</RequestId><DeviceSn>3d0e</DeviceSn></ActiveDeviceCertificateResponse>"}};
  Answer a = SurfacedAnswer(answer);
  ASSERT_TRUE(a.json);
  EXPECT_EQ((*a.json)["DeviceSn"], "3d0e");
  EXPECT_EQ((*a.json)["RequestId"], "R2");
  EXPECT_EQ(OutcomeOf(a), "success");
}

TEST(SurfacedAnswer, WithoutHeadersNoHeaderIsJudged) {
  Json answer = {{"id", 1},
                 {"ok", false},
                 {"status", 403},
                 {"code", "MqttOwnerCheckError"},
                 {"message", "Failed to validate the instance permission"},
                 {"request_id", "C7A3E1B2-1111-4222-8333-944455556666"},
                 {"body", {{"HostId", "onsmqtt.cn-hangzhou.aliyuncs.com"}, {"Recommend", "r"}}}};
  Answer a = SurfacedAnswer(answer);
  EXPECT_FALSE(a.headers_surfaced);
  std::vector<AssertionFailure> f;
  CheckContractShape(a, BuiltinContract().FindOperation("ActiveDeviceCertificate"), BuiltinContract(), {}, &f);
  for (const AssertionFailure& x : f) EXPECT_NE(x.path, "x-acs-request-id") << x.ToString();
  answer["headers"] = Json::object();
  a = SurfacedAnswer(answer);
  EXPECT_TRUE(a.headers_surfaced);
  f.clear();
  CheckContractShape(a, BuiltinContract().FindOperation("ActiveDeviceCertificate"), BuiltinContract(), {}, &f);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f.back().path, "x-acs-request-id");
}

Json Entry(int status, const std::string& code) {
  return {{"method", "POST"},
          {"scheme", "v1"},
          {"status", status},
          {"code", code},
          {"request_id", "WIRE-ID"},
          {"params", Json::array({{{"name", "MqttInstanceId"}, {"value", "post-cn-1"}},
                                  {{"name", "DeviceSn"}, {"value", "d1"}},
                                  {{"name", "CaSn"}, {"value", ""}}})}};
}

WireAsk Ask() {
  WireAsk ask;
  ask.action = "ActiveDeviceCertificate";
  ask.params = {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "d1"}, {"CaSn", ""}};
  ask.method = "POST";
  return ask;
}

TEST(JudgeWire, AFaithfulClientHasNoFailures) {
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), Entry(200, ""), {{"ok", true}, {"status", 200}, {"request_id", "WIRE-ID"}}, &f);
  JudgeWire(Ask(), Entry(400, "X"), {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_TRUE(f.empty()) << f.front().ToString();
}

TEST(JudgeWire, ARenamedParameterNamesTheViolationOrTheAskedName) {
  Json entry = Entry(400, "ParameterFieldCheckFailed");
  entry["params"][1] = {{"name", "DeviceSN"}, {"value", "d1"}};
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), std::vector<std::string>{
                              "the client sent DeviceSN, which the step does not send (did you mean DeviceSn?)"});
  entry["violations"] = {{{"rule", "unknown_parameter"},
                          {"parameter", "DeviceSN"},
                          {"message", "ActiveDeviceCertificate has no DeviceSN (did you mean DeviceSn?)"}}};
  f.clear();
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), std::vector<std::string>{"the client sent DeviceSN: ActiveDeviceCertificate has no DeviceSN "
                                                   "(did you mean DeviceSn?)"});
}

TEST(JudgeWire, AViolationTheStepAskedForIsNotTheClients) {
  Json entry = Entry(400, "ParameterFieldCheckFailed");
  entry["violations"] = {{{"rule", "empty"}, {"parameter", "CaSn"}, {"message", "CaSn is empty"}}};
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_TRUE(f.empty()) << f.front().ToString();
  entry["violations"] = {{{"rule", "v3_unsigned_header"}, {"parameter", ""}, {"message", "x-acs-date is not signed"}}};
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  entry["violations"].push_back(
      {{"rule", "v3_unsigned_header"}, {"parameter", "x-acs-date"}, {"message", "not in SignedHeaders"}});
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{
                              "the client's request breaks v3_unsigned_header: x-acs-date is not signed",
                              "the client's request breaks v3_unsigned_header: x-acs-date is not signed",
                              "the client's request breaks v3_unsigned_header (x-acs-date): not in SignedHeaders",
                          }));
  // A deliberately wrong secret explains whatever the mock finds wrong.
  WireAsk wrong = Ask();
  wrong.valid_auth = false;
  f.clear();
  JudgeWire(wrong, entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_TRUE(f.empty());
}

TEST(JudgeWire, AParameterTheStepLeavesOutOnPurposeIsNotTheClients) {
  WireAsk ask = Ask();
  ask.params.erase(ask.params.begin());  // no MqttInstanceId: the step wants ParameterFieldCheckFailed
  Json entry = Entry(400, "ParameterFieldCheckFailed");
  entry["params"].erase(0);
  entry["violations"] = {{{"rule", "parameter.missing"},
                          {"parameter", "MqttInstanceId"},
                          {"message", "MqttInstanceId is required by ActiveDeviceCertificate and absent"}}};
  std::vector<AssertionFailure> f;
  JudgeWire(ask, entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_TRUE(f.empty()) << f.front().ToString();
  // The same violation when the step did send it is the client's.
  entry["params"] = Entry(400, "")["params"];
  entry["params"].erase(0);
  f.clear();
  JudgeWire(Ask(), entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f.front().actual, "the client did not send MqttInstanceId (the step asks for it)");
}

TEST(JudgeWire, MissingAddedChangedAndRepeatedParameters) {
  Json entry = Entry(200, "");
  entry["params"] = Json::array({{{"name", "MqttInstanceId"}, {"value", "post-cn-2"}},
                                 {{"name", "DeviceSn"}, {"value", "d1"}},
                                 {{"name", "DeviceSn"}, {"value", "d1"}},
                                 {{"name", "RegionId"}, {"value", "cn-hangzhou"}}});
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), entry, {{"ok", true}, {"status", 200}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{
                              "the client sent MqttInstanceId as \"post-cn-2\"; the step asks for \"post-cn-1\"",
                              "the client sent DeviceSn 2 times",
                              "the client did not send CaSn (the step asks for it)",
                              "the client sent RegionId, which the step does not send",
                          }));
}

TEST(JudgeWire, SignatureMethodAndScheme) {
  Json entry = Entry(400, "SignatureDoesNotMatch");
  entry["method"] = "GET";
  WireAsk ask = Ask();
  ask.scheme = "v3";
  std::vector<AssertionFailure> f;
  JudgeWire(ask, entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{
                              "the client's signature does not verify with the credentials' secret",
                              "the client sent GET; the step asks for POST (what the generated SDKs send for "
                              "ActiveDeviceCertificate)",
                              "the client signed with v1; the step asks for v3",
                          }));
  ask.valid_auth = false;  // auth: wrong_secret asks for exactly that
  ask.method_chosen = true;
  f.clear();
  JudgeWire(ask, entry, {{"ok", false}, {"status", 400}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{"the client sent GET; the step asks for POST",
                                                    "the client signed with v1; the step asks for v3"}));
}

TEST(JudgeWire, TheSurfacedOutcomeMustBeTheWires) {
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), Entry(400, "Throttling.User"), {{"ok", true}, {"status", 200}, {"request_id", "WIRE-ID"}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{
                              "the client reported success for an answer the mock sent as HTTP 400 Throttling.User",
                              "the client reported HTTP 200 for an answer the mock sent as HTTP 400 Throttling.User",
                          }));
  f.clear();
  JudgeWire(Ask(), Entry(200, ""), {{"ok", false}, {"status", 200}, {"code", "Parse"}}, &f);
  EXPECT_EQ(Sentences(f),
            std::vector<std::string>{"the client reported an error (Parse) for an answer the mock sent as HTTP 200"});
}

TEST(JudgeWire, AnErrorMustSurfaceTheWiresRequestId) {
  std::vector<AssertionFailure> f;
  JudgeWire(Ask(), Entry(403, "X"), {{"ok", false}, {"status", 403}}, &f);
  JudgeWire(Ask(), Entry(403, "X"), {{"ok", false}, {"status", 403}, {"request_id", "OTHER"}}, &f);
  EXPECT_EQ(Sentences(f), (std::vector<std::string>{
                              "the client surfaced no request id for the error (the mock answered WIRE-ID)",
                              "the client surfaced the request id OTHER for the error; the mock answered WIRE-ID",
                          }));
  EXPECT_EQ(f[0].ToString(), "client: the client surfaced no request id for the error (the mock answered WIRE-ID)");
}

ClientHello Hello() { return {"pop-core-1.8.0", {"v1"}, {"POST"}, {"JSON"}}; }

Scenario OneStep(const std::function<void(Step*)>& edit) {
  Scenario s;
  Step step;
  step.name = "1: ActiveDeviceCertificate";
  step.call.action = "ActiveDeviceCertificate";
  edit(&step);
  s.steps.push_back(step);
  return s;
}

TEST(ClientSkipReason, StepsThatNeedRawControl) {
  auto reason = [](const std::function<void(Step*)>& edit) { return ClientSkipReason(OneStep(edit), Hello()); };
  EXPECT_EQ(reason([](Step*) {}), "");
  EXPECT_EQ(reason([](Step* s) { s->call.auth = AuthVariant::kWrongSecret; }), "");
  EXPECT_EQ(reason([](Step* s) { s->call.auth = AuthVariant::kCorruptSignature; }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) corrupts the signature");
  EXPECT_EQ(reason([](Step* s) { s->call.auth = AuthVariant::kMissingSignature; }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) removes the signature");
  EXPECT_EQ(reason([](Step* s) {
              s->call.nonce = Template{"n", {}};
            }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) fixes the nonce");
  EXPECT_EQ(reason([](Step* s) { s->call.timestamp_offset = std::chrono::seconds(-1200); }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) shifts the timestamp");
  EXPECT_EQ(reason([](Step* s) {
              s->call.host = Template{"h", {}};
            }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) overrides the Host header");
  EXPECT_EQ(reason([](Step* s) {
              s->call.version = Template{"2019-01-01", {}};
            }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) overrides the API version");
  EXPECT_EQ(reason([](Step* s) { s->call.placement = ParamPlacement::kFormBody; }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) chooses where the parameters travel "
            "(placement)");
  EXPECT_EQ(reason([](Step* s) {
              s->call.params = {{"A", {}}, {"A", {}}};
            }),
            "needs the runner's own client: step 1 (ActiveDeviceCertificate) sends A twice");
}

TEST(ClientSkipReason, WhatTheClientLacks) {
  auto reason = [](const std::function<void(Step*)>& edit) { return ClientSkipReason(OneStep(edit), Hello()); };
  EXPECT_EQ(reason([](Step* s) { s->call.scheme = SignatureScheme::kV3; }),
            "the client pop-core-1.8.0 cannot sign with v3 (step 1 (ActiveDeviceCertificate))");
  EXPECT_EQ(reason([](Step* s) { s->call.method = HttpMethod::kGet; }),
            "the client pop-core-1.8.0 cannot send GET (step 1 (ActiveDeviceCertificate))");
  EXPECT_EQ(reason([](Step* s) { s->call.format = "XML"; }),
            "the client pop-core-1.8.0 cannot ask for XML (step 1 (ActiveDeviceCertificate))");
  // The method of an unset `method:` is the operation's: GetCaCertificate is a GET.
  EXPECT_EQ(reason([](Step* s) {
              s->call.action = "GetCaCertificate";
              s->name = "read";
            }),
            "the client pop-core-1.8.0 cannot send GET (step 1 (read))");
  Scenario connect = OneStep([](Step* s) {
    s->kind = Step::Kind::kConnect;
    s->call.auth = AuthVariant::kCorruptSignature;
  });
  EXPECT_EQ(ClientSkipReason(connect, Hello()), "");
}

TEST(ReportedClassname, StartsWithTheClientsName) {
  ScenarioResult s;
  s.classname = "onsmqtt.active_device_certificate.errors";
  RunInfo info;
  EXPECT_EQ(ReportedClassname(s, info), "onsmqtt.active_device_certificate.errors");
  info.client = "pop-core-1.8.0";
  EXPECT_EQ(ReportedClassname(s, info), "pop-core-1_8_0.onsmqtt.active_device_certificate.errors");
  s.classname = kRunnerClassname;
  EXPECT_EQ(ReportedClassname(s, info), kRunnerClassname);
}

}  // namespace
}  // namespace onsmqtt::runner
