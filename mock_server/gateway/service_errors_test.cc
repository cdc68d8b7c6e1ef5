// The model's service errors through real HTTP (produced by signed
// requests against fixtures/default.yaml), fault-only codes, and the
// --auth log / off modes.
#include <gtest/gtest.h>

#include "contract/codes.h"
#include "contract/contract.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

Call Op(const MockFixture& mock, const std::string& action, ParamList params) {
  Call call = mock.Activate();
  call.action = action;
  call.params = std::move(params);
  return call;
}

void ExpectCode(const Reply& r, const std::string& code, int status) {
  ASSERT_TRUE(r.answered);
  EXPECT_EQ(r.Code(), code) << r.body;
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.json.value("RequestId", ""), r.request_id_header);
  EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt.cn-hangzhou.aliyuncs.com");
  EXPECT_EQ(r.json.value("Message", ""), BuiltinContract().FindError(code)->message);
}

TEST(ServiceErrorsHttpTest, DeviceOperations) {
  MockFixture mock;
  const std::string inst = mock.Var("instance.platinum.id");
  const std::string sn = mock.Var("device.active.sn"), ca = mock.Var("device.active.ca_sn");
  struct Case {
    const char* name;
    const char* key;
    ParamList params;
    const char* code;
    int status;
  };
  const Case cases[] = {
      {"missing DeviceSn", "owner", {{"MqttInstanceId", inst}, {"CaSn", ca}}, codes::kParameterFieldCheckFailed, 400},
      {"DeviceSn over 128 bytes",
       "owner",
       {{"MqttInstanceId", inst}, {"DeviceSn", std::string(129, 'a')}, {"CaSn", ca}},
       codes::kParameterFieldCheckFailed,
       500},
      {"unknown DeviceSn",
       "owner",
       {{"MqttInstanceId", inst}, {"DeviceSn", "00ff"}, {"CaSn", ca}},
       codes::kFindDeviceBySnError,
       500},
      {"DeviceSn of another CA",
       "owner",
       {{"MqttInstanceId", inst}, {"DeviceSn", mock.Var("device.c.sn")}, {"CaSn", ca}},
       codes::kFindDeviceBySnError,
       500},
      {"unknown instance",
       "owner",
       {{"MqttInstanceId", "post-cn-nope"}, {"DeviceSn", sn}, {"CaSn", ca}},
       codes::kMqttInstanceNotFound,
       500},
      {"another account's instance",
       "other_account",
       {{"MqttInstanceId", inst}, {"DeviceSn", sn}, {"CaSn", ca}},
       codes::kMqttOwnerCheckError,
       403},
      {"RAM user without permission",
       "ram_user_without_permission",
       {{"MqttInstanceId", inst}, {"DeviceSn", sn}, {"CaSn", ca}},
       codes::kPermissionCheckFailed,
       403},
      {"non-Platinum instance",
       "owner",
       {{"MqttInstanceId", mock.Var("instance.professional.id")}, {"DeviceSn", sn}, {"CaSn", ca}},
       codes::kApiNotSupport,
       404},
  };
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(c.name) + " " + SignatureSchemeName(scheme));
      Call call = Op(mock, "ActiveDeviceCertificate", c.params);
      call.scheme = scheme;
      Reply r = mock.Send(call, mock.Key(c.key));
      ExpectCode(r, c.code, c.status);
      if (std::string(c.code) == codes::kPermissionCheckFailed) {
        EXPECT_TRUE(r.json.contains("AccessDeniedDetail")) << r.body;
      }
    }
  }
}

TEST(ServiceErrorsHttpTest, CaOperations) {
  MockFixture mock;
  const std::string inst = mock.Var("instance.platinum.id");
  auto reg = [&](const std::string& ca, const std::string& verification) {
    Call call = Op(mock, "RegisterCaCertificate",
                   {{"MqttInstanceId", inst},
                    {"CaName", "new"},
                    {"CaContent", mock.Var("file." + ca)},
                    {"VerificationContent", mock.Var("file." + verification)}});
    call.placement = ParamPlacement::kFormBody;
    call.scheme = SignatureScheme::kV1;
    return mock.Send(call, mock.Key("owner"));
  };
  ExpectCode(mock.Send(Op(mock, "GetCaCertificate", {{"MqttInstanceId", inst}, {"Sn", "00ff"}}), mock.Key("owner")),
             codes::kFindCaBySnError, 500);
  ExpectCode(reg("not_a_ca", "not_a_ca_verification"), codes::kCertificateContentError, 500);
  ExpectCode(reg("ca_new", "ca_new_wrongcode_verification"), codes::kRegisterCodeError, 500);
  Reply ok = reg("ca_new", "ca_new_verification");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string new_sn = ok.json.value("Sn", "");
  ExpectCode(reg("ca_new", "ca_new_verification"), codes::kSnNotUnique, 500);
  ExpectCode(reg("ca_new2", "ca_new2_verification"), codes::kCaNumExceed, 500);
  Reply del = mock.Send(Op(mock, "DeleteCaCertificate", {{"MqttInstanceId", inst}, {"Sn", new_sn}}), mock.Key("owner"));
  ASSERT_EQ(del.status, 200) << del.body;
  ExpectCode(reg("ca_new", "ca_new_verification"), codes::kRegisterCodeUsed, 500);
}

TEST(ServiceErrorsHttpTest, CodesOnlyFaultsProduce) {
  MockFixture mock;
  for (const char* code : {codes::kInternalError, codes::kSystemOverFlow}) {
    Reply added = mock.Admin("POST", "faults", nlohmann::json{{"code", code}, {"times", 1}}.dump());
    ASSERT_EQ(added.status, 200) << added.body;
    Reply r = mock.Send(mock.Activate(), mock.Key("owner"));
    ExpectCode(r, code, BuiltinContract().FindError(code)->mock_status);
  }
}

TEST(ServiceErrorsHttpTest, AuthLogLetsFailuresPass) {
  MockOptions options;
  options.auth = AuthMode::kLog;
  MockFixture mock(options);
  Credentials wrong = mock.Key("owner");
  wrong.access_key_secret = "wrong";
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Call call = mock.Activate();
    call.scheme = scheme;
    EXPECT_EQ(mock.Send(call, wrong).status, 200);
    call.timestamp = SystemClock::Instance().Now() - std::chrono::hours(1);
    EXPECT_EQ(mock.Send(call, mock.Key("owner")).status, 200);
    // The caller is still the key's owner: another account's key is denied
    // by the service, not by the gateway.
    EXPECT_EQ(mock.Send(call, mock.Key("other_account")).Code(), codes::kMqttOwnerCheckError);
  }
  // Routing errors are not authentication: still answered.
  Call bad = mock.Activate();
  bad.version = "1999-01-01";
  EXPECT_EQ(mock.Send(bad, wrong).Code(), codes::kInvalidVersion);
}

// A request whose shape is wrong is read leniently, but the access key of a
// V3 Authorization header is read by the verifier's rule all the same: with
// Credential given twice, the last one. (The lenient reader took the first.)
TEST(ServiceErrorsHttpTest, AuthLogReadsTheCredentialAsTheVerifierDoes) {
  MockOptions options;
  options.auth = AuthMode::kLog;
  MockFixture mock(options);
  Call call = mock.Activate();
  call.scheme = SignatureScheme::kV3;
  HttpRequest wire = SignCall(call, mock.Key("owner"), SystemClock::Instance()).value();
  const std::string prefix = std::string(kV3Algorithm) + " ";
  const std::string authorization = *wire.Header("authorization");
  ASSERT_EQ(authorization.rfind(prefix, 0), 0u) << authorization;
  wire.SetHeader("Authorization",
                 prefix + "Credential=" + mock.Var("key.other_account.id") + "," + authorization.substr(prefix.size()));
  Reply strict = testing::SendWire(mock.client(), wire);
  EXPECT_EQ(strict.status, 200) << "the verifier reads the owner's key; " << strict.body;
  std::erase_if(wire.headers, [](const auto& h) { return EqualsIgnoreCase(h.first, "x-acs-date"); });
  Reply lenient = testing::SendWire(mock.client(), wire);
  EXPECT_EQ(lenient.status, 200) << "without x-acs-date, still the owner's key; " << lenient.body;
}

TEST(ServiceErrorsHttpTest, AuthOffNeedsNoSignature) {
  MockOptions options;
  options.auth = AuthMode::kOff;
  MockFixture mock(options);
  auto unsigned_get = [&](const std::string& key_id) {
    ParamList q = {{"Action", "ActiveDeviceCertificate"},
                   {"Version", "2020-04-20"},
                   {"MqttInstanceId", mock.Var("instance.platinum.id")},
                   {"DeviceSn", mock.Var("device.active.sn")},
                   {"CaSn", mock.Var("device.active.ca_sn")}};
    if (!key_id.empty()) q.emplace_back("AccessKeyId", key_id);
    return testing::ToReply(mock.client()->Get("/?" + EncodeParams(q)));
  };
  Reply r = unsigned_get("");
  EXPECT_EQ(r.status, 200) << "no key: the fixture's owner key is the caller; " << r.body;
  EXPECT_EQ(unsigned_get("LTAI-unknown").status, 200);
  EXPECT_EQ(unsigned_get(mock.Var("key.other_account.id")).Code(), codes::kMqttOwnerCheckError);
  // V3 headers without a signature.
  httplib::Headers h = {{"x-acs-action", "ActiveDeviceCertificate"}, {"x-acs-version", "2020-04-20"}};
  ParamList q = {{"MqttInstanceId", mock.Var("instance.platinum.id")},
                 {"DeviceSn", mock.Var("device.active.sn")},
                 {"CaSn", mock.Var("device.active.ca_sn")}};
  Reply v3 = testing::ToReply(mock.client()->Post("/?" + EncodeParams(q), h, "", "application/json"));
  EXPECT_EQ(v3.status, 200) << v3.body;
}

}  // namespace
}  // namespace onsmqtt::mock
