#include "mock_server/gateway/admin.h"

#include <gtest/gtest.h>

#include <chrono>

#include "contract/codes.h"
#include "mock_server/gateway/http_test_support.h"
#include "mock_server/gateway/journal.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

// The signature a request carries: V3's in Authorization, V1's parameter.
std::string SignatureOf(const HttpRequest& wire) {
  if (const std::string* auth = wire.Header("authorization")) return auth->substr(auth->find("Signature=") + 10);
  for (const std::string* text : {&wire.query, &wire.body}) {
    for (const auto& [k, v] : ParseQueryString(*text)) {
      if (k == "Signature") return v;
    }
  }
  return "";
}

Call GetDevice(const MockFixture& mock, const std::string& device) {
  Call call = mock.Activate(device);
  call.action = "GetDeviceCertificate";
  call.method = HttpMethod::kGet;
  return call;
}

TEST(AdminTest, HealthAndUnknownPath) {
  MockFixture mock;
  Reply h = mock.Admin("GET", "health");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json.value("status", ""), "ok");
  Reply nope = mock.Admin("GET", "nope");
  EXPECT_EQ(nope.status, 404);
  EXPECT_TRUE(nope.json.contains("error")) << nope.body;
  EXPECT_EQ(mock.Admin("PUT", "reset").status, 404);
}

TEST(AdminTest, ResetRestoresTheFixtureState) {
  MockFixture mock;
  Call inactivate = mock.Activate("active");
  inactivate.action = "InactivateDeviceCertificate";
  ASSERT_EQ(mock.Send(inactivate, mock.Key("owner")).status, 200);
  Reply before = mock.Send(GetDevice(mock, "active"), mock.Key("owner"));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json["Data"].value("Status", ""), "0");
  Reply reset = mock.Admin("POST", "reset");
  EXPECT_EQ(reset.status, 200) << reset.body;
  Reply after = mock.Send(GetDevice(mock, "active"), mock.Key("owner"));
  EXPECT_EQ(after.json["Data"].value("Status", ""), "1") << after.body;
}

TEST(AdminTest, FixtureLoadsAnotherFileWithPositionedErrors) {
  MockFixture mock;
  EXPECT_EQ(mock.Admin("POST", "fixture", R"({"path":"fixtures/default.yaml"})").status, 200);
  Reply missing = mock.Admin("POST", "fixture", R"({"path":"fixtures/does-not-exist.yaml"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.json.value("error", "").find("does-not-exist"), std::string::npos) << missing.body;
  EXPECT_EQ(mock.Admin("POST", "fixture", "not json").status, 400);
  EXPECT_EQ(mock.Admin("POST", "fixture", R"({"file":"x"})").status, 400);
}

TEST(AdminTest, StateAndVars) {
  MockFixture mock;
  Reply state = mock.Admin("GET", "state");
  EXPECT_EQ(state.status, 200);
  EXPECT_EQ(state.body.find(mock.Var("key.owner.secret")), std::string::npos) << "state dump redacts secrets";
  Reply vars = mock.Admin("GET", "vars");
  EXPECT_EQ(vars.status, 200);
  EXPECT_EQ(vars.json.value("key.owner.secret", ""), mock.Var("key.owner.secret")) << "vars is the test fixture";
  EXPECT_EQ(vars.json.value("instance.platinum.id", ""), mock.Var("instance.platinum.id"));
}

TEST(AdminTest, JournalRecordsRequestsWithoutSecrets) {
  MockFixture mock;
  Credentials wrong = mock.Key("owner");
  wrong.access_key_secret = "wrong-secret";
  std::vector<std::string> signatures;  // as sent
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
      Call call = mock.Activate();
      call.scheme = scheme;
      call.placement = placement;
      for (bool bad : {false, true}) {
        HttpRequest wire = SignCall(call, bad ? wrong : mock.Key("owner"), SystemClock::Instance()).value();
        signatures.push_back(SignatureOf(wire));
        ASSERT_FALSE(signatures.back().empty()) << wire.Target();
        Reply r = testing::SendWire(mock.client(), wire);
        ASSERT_EQ(r.status, bad ? 400 : 200) << r.body;
        ASSERT_EQ(r.Code(), bad ? codes::kSignatureDoesNotMatch : "") << r.body;
      }
    }
  }
  Reply j = mock.Admin("GET", "journal");
  ASSERT_EQ(j.status, 200);
  const auto& requests = j.json["requests"];
  ASSERT_EQ(requests.size(), 8u) << j.body;
  EXPECT_EQ(requests[0].value("action", ""), "ActiveDeviceCertificate");
  EXPECT_EQ(requests[0].value("status", 0), 200);
  EXPECT_EQ(requests[0].value("account_uid", ""), mock.Var("account.owner.uid"));
  EXPECT_EQ(requests[0].value("access_key_id", ""), mock.Var("key.owner.id"));
  EXPECT_EQ(requests[0].value("scheme", ""), "v1");
  EXPECT_TRUE(IsRequestIdFormat(requests[0].value("request_id", "")));
  EXPECT_EQ(requests[1].value("code", ""), codes::kSignatureDoesNotMatch);
  EXPECT_EQ(requests[0]["params"].size(), 3u) << requests[0].dump();
  // No signature, Authorization value or secret anywhere (violation
  // messages included: the wrong-secret requests have one each).
  for (const auto& entry : requests) {
    for (const auto& p : entry["params"]) EXPECT_FALSE(IsSecretParameter(p.value("name", ""))) << p.dump();
  }
  EXPECT_EQ(requests[1]["violations"].size(), 1u) << requests[1].dump();
  for (const char* forbidden : {"ACS3-HMAC", "Credential=", "\"SecurityToken\"", "wrong-secret"}) {
    EXPECT_EQ(j.body.find(forbidden), std::string::npos) << forbidden;
  }
  for (const std::string& signature : signatures) EXPECT_EQ(j.body.find(signature), std::string::npos) << signature;
  EXPECT_EQ(j.body.find(mock.Var("key.owner.secret")), std::string::npos);
  EXPECT_EQ(mock.Admin("GET", "journal?limit=2").json["requests"].size(), 2u);
  EXPECT_EQ(mock.Admin("DELETE", "journal").status, 200);
  EXPECT_EQ(mock.Admin("GET", "journal").json["requests"].size(), 0u);
}

TEST(AdminTest, FaultTimesCountsMatchingRequests) {
  MockFixture mock;
  Reply added = mock.Admin("POST", "faults",
                           R"({"action":"ActiveDeviceCertificate","times":2,"code":"InternalError","status":503})");
  ASSERT_EQ(added.status, 200) << added.body;
  Call get = GetDevice(mock, "active");
  EXPECT_EQ(mock.Send(get, mock.Key("owner")).status, 200) << "other actions do not match";
  for (int i = 0; i < 2; ++i) {
    Reply r = mock.Send(mock.Activate(), mock.Key("owner"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.Code(), codes::kInternalError);
    EXPECT_EQ(r.json.value("RequestId", ""), r.request_id_header);
    EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt.cn-hangzhou.aliyuncs.com");
    EXPECT_NE(r.json.value("Recommend", "").find("q=InternalError"), std::string::npos);
  }
  EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("owner")).status, 200) << "used up";
  EXPECT_EQ(mock.Admin("GET", "faults").json["faults"].size(), 0u);
}

TEST(AdminTest, SeededProbabilityIsDeterministic) {
  auto pattern = [](uint64_t seed) {
    MockFixture mock;
    EXPECT_EQ(mock.Admin("POST", "faults",
                         nlohmann::json{{"probability", 0.5}, {"seed", seed}, {"code", "SystemOverFlow"}}.dump())
                  .status,
              200);
    std::string p;
    for (int i = 0; i < 24; ++i) p += mock.Send(mock.Activate(), mock.Key("owner")).status == 200 ? '.' : 'F';
    return p;
  };
  const std::string a = pattern(7);
  EXPECT_EQ(a, pattern(7));
  EXPECT_NE(a.find('F'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
  EXPECT_NE(a, pattern(8));
}

TEST(AdminTest, DelayFaultDelaysTheNormalAnswer) {
  MockFixture mock;
  ASSERT_EQ(mock.Admin("POST", "faults", R"({"delay_ms":300,"times":1})").status, 200);
  auto start = std::chrono::steady_clock::now();
  Reply r = mock.Send(mock.Activate(), mock.Key("owner"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  Reply j = mock.Admin("GET", "journal");
  EXPECT_EQ(j.json["requests"][0].value("fault", ""), "f1");
}

TEST(AdminTest, DropConnectionGivesNoAnswer) {
  MockFixture mock;
  ASSERT_EQ(mock.Admin("POST", "faults", R"([{"drop_connection":true,"times":1}])").status, 200);
  auto client = mock.NewClient();
  Reply dropped = mock.Send(mock.Activate(), mock.Key("owner"), SystemClock::Instance(), client.get());
  EXPECT_FALSE(dropped.answered) << dropped.status << " " << dropped.body;
  Reply next = mock.Send(mock.Activate(), mock.Key("owner"), SystemClock::Instance(), client.get());
  EXPECT_EQ(next.status, 200) << "the rule is used up and the client reconnects";
  // A raw socket sees EOF without a single byte.
  ASSERT_EQ(mock.Admin("POST", "faults", R"({"drop_connection":true,"times":1})").status, 200);
  httplib::Client raw("127.0.0.1", mock.port());
  auto res = raw.Get("/?Action=ActiveDeviceCertificate");
  EXPECT_FALSE(res);
}

TEST(AdminTest, BadFaultRulesAreRefusedWithTheReason) {
  MockFixture mock;
  const char* bad[] = {
      R"({"code":"NoSuchCode"})",
      R"({"action":"Nope","code":"InternalError"})",
      R"({"times":0,"code":"InternalError"})",
      R"({"probability":2,"code":"InternalError"})",
      R"({"delay":5})",
      R"({})",
      R"({"code":"InternalError","drop_connection":true})",
      R"({"status":503})",
  };
  for (const char* body : bad) {
    Reply r = mock.Admin("POST", "faults", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_FALSE(r.json.value("error", "").empty()) << body;
  }
  EXPECT_EQ(mock.Admin("GET", "faults").json["faults"].size(), 0u);
  Reply two = mock.Admin("POST", "faults", R"([{"code":"InternalError"},{"delay_ms":1}])");
  ASSERT_EQ(two.status, 200);
  EXPECT_EQ(mock.Admin("DELETE", "faults/" + two.json["ids"][0].get<std::string>()).status, 200);
  EXPECT_EQ(mock.Admin("DELETE", "faults/f99").status, 404);
  EXPECT_EQ(mock.Admin("GET", "faults").json["faults"].size(), 1u);
  EXPECT_EQ(mock.Admin("DELETE", "faults").status, 200);
  EXPECT_EQ(mock.Admin("GET", "faults").json["faults"].size(), 0u);
}

TEST(AdminTest, TokenIsRequiredWhenConfigured) {
  MockOptions options;
  options.admin_token = "t0ken";
  MockFixture mock(options);
  EXPECT_EQ(mock.Admin("GET", "health").status, 401);
  EXPECT_EQ(mock.Admin("GET", "health", "", "wrong").status, 401);
  EXPECT_EQ(mock.Admin("GET", "health", "", "t0ken").status, 200);
}

TEST(AdminTest, DisabledAdminIsNotServed) {
  MockOptions options;
  options.admin_enabled = false;
  MockFixture mock(options);
  Reply r = mock.Admin("GET", "health");
  EXPECT_EQ(r.Code(), codes::kInvalidActionNotFound) << r.body;
}

TEST(AdminTest, DeviceRegistrationOnConnect) {
  MockFixture mock;
  nlohmann::json ok = {{"instance_id", mock.Var("instance.platinum.id")},
                       {"pem", mock.Var("file.device_a_unregistered")}};
  Reply r = mock.Admin("POST", "devices/register", ok.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.json.contains("device"));
  nlohmann::json unknown_ca = {{"instance_id", mock.Var("instance.platinum.id")},
                               {"pem", mock.Var("file.device_unknown_ca")}};
  Reply refused = mock.Admin("POST", "devices/register", unknown_ca.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_FALSE(refused.json.value("error", "").empty());
  EXPECT_EQ(mock.Admin("POST", "devices/register", R"({"pem":"x"})").status, 400);
}

TEST(AdminTest, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("::ffff:10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("fe80::1"));
  EXPECT_FALSE(IsLoopbackAddress(""));
}

}  // namespace
}  // namespace onsmqtt::mock
