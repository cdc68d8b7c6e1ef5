// The journal's "violations" and "signature" for real signed requests over
// HTTP (default mode: the answers stay the service's), read through
// MockServer::Journal and GET /__admin/journal.
#include <gtest/gtest.h>

#include "contract/codes.h"
#include "contract/crypto.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

// The newest journal entry.
nlohmann::json Last(MockFixture& mock) {
  nlohmann::json j = mock.server().Journal(1);
  EXPECT_EQ(j.at("requests").size(), 1u) << j.dump();
  return j.at("requests").empty() ? nlohmann::json::object() : j["requests"][0];
}

// "rule:parameter" of each violation, checking each has exactly its three
// string fields.
std::vector<std::string> Rules(const nlohmann::json& entry) {
  std::vector<std::string> out;
  for (const auto& v : entry.at("violations")) {
    EXPECT_EQ(v.size(), 3u) << v.dump();
    out.push_back(v.at("rule").get<std::string>() + ":" + v.at("parameter").get<std::string>());
    EXPECT_TRUE(v.at("message").is_string());
  }
  return out;
}

using Rs = std::vector<std::string>;

TEST(JournalViolations, ACleanRequestHasNoneAndAValidSignature) {
  MockFixture mock;
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Call call = mock.Activate();
    call.scheme = scheme;
    ASSERT_EQ(mock.Send(call, mock.Key("owner")).status, 200);
    nlohmann::json e = Last(mock);
    EXPECT_EQ(e.at("violations"), nlohmann::json::array()) << e.dump();
    EXPECT_EQ(e.at("signature"), "valid");
  }
}

TEST(JournalViolations, MisspelledParameterSaysDidYouMean) {
  MockFixture mock;
  Call call = mock.Activate();
  call.params[1].first = "DeviceSN";
  Reply r = mock.Send(call, mock.Key("owner"));
  EXPECT_EQ(r.Code(), codes::kParameterFieldCheckFailed) << "DeviceSn is missing, as the service says";
  nlohmann::json e = Last(mock);
  EXPECT_EQ(Rules(e), (Rs{"parameter.missing:DeviceSn", "parameter.unknown:DeviceSN"}));
  EXPECT_EQ(e["violations"][1]["message"],
            "DeviceSN is not a parameter of ActiveDeviceCertificate (did you mean DeviceSn?)");
  EXPECT_EQ(e.at("request_id"), r.request_id_header);
}

TEST(JournalViolations, DefaultModeStillServesAnUnknownParameter) {
  MockFixture mock;
  Call call = mock.Activate();
  call.params.emplace_back("RegionId", "cn-hangzhou");
  Reply r = mock.Send(call, mock.Key("owner"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Rules(Last(mock)), (Rs{"parameter.unknown:RegionId"}));
}

TEST(JournalViolations, MissingEmptyAndOverLong) {
  MockFixture mock;
  Call missing = mock.Activate();
  missing.params.pop_back();
  EXPECT_EQ(mock.Send(missing, mock.Key("owner")).status, 400);
  EXPECT_EQ(Rules(Last(mock)), (Rs{"parameter.missing:CaSn"}));
  Call empty = mock.Activate();
  empty.params[0].second = "";
  EXPECT_EQ(mock.Send(empty, mock.Key("owner")).status, 400);
  EXPECT_EQ(Rules(Last(mock)), (Rs{"parameter.empty:MqttInstanceId"}));
  Call longer = mock.Activate();
  longer.params[1].second = std::string(129, 'a');
  EXPECT_EQ(mock.Send(longer, mock.Key("owner")).status, 500);
  nlohmann::json e = Last(mock);
  EXPECT_EQ(Rules(e), (Rs{"parameter.too_long:DeviceSn"}));
  EXPECT_EQ(e["violations"][0]["message"],
            "DeviceSn of ActiveDeviceCertificate is 129 bytes long; at most 128 are allowed");
}

TEST(JournalViolations, UnsignedHeaderOfV3) {
  MockFixture mock;
  Call call = mock.Activate();
  HttpRequest wire = SignCall(call, mock.Key("owner"), SystemClock::Instance()).value();
  wire.headers.emplace_back("x-acs-trace", "1");
  Reply r = testing::SendWire(mock.client(), wire);
  EXPECT_EQ(r.Code(), codes::kSignatureDoesNotMatch) << "the server signs every x-acs-* header";
  nlohmann::json e = Last(mock);
  EXPECT_EQ(Rules(e), (Rs{"headers.unsigned:x-acs-trace", "signature.mismatch:Authorization"}));
  EXPECT_EQ(e.at("signature"), "invalid");
}

TEST(JournalViolations, ContentSha256OfV3) {
  MockFixture mock;
  Call call = mock.Activate();
  call.placement = ParamPlacement::kFormBody;
  HttpRequest wire = SignCall(call, mock.Key("owner"), SystemClock::Instance()).value();
  wire.SetHeader("x-acs-content-sha256", Sha256Hex("something else").value());
  EXPECT_EQ(testing::SendWire(mock.client(), wire).Code(), codes::kSignatureDoesNotMatch);
  nlohmann::json e = Last(mock);
  EXPECT_EQ(Rules(e), (Rs{"headers.content_sha256:x-acs-content-sha256", "signature.mismatch:Authorization"}));
  EXPECT_NE(e["violations"][0]["message"].get<std::string>().find(Sha256Hex(wire.body).value()), std::string::npos)
      << "names the body's hash";
}

// Recorded in every --auth mode when the key is known; never the secret.
TEST(JournalViolations, WrongSecretInEveryAuthMode) {
  for (AuthMode mode : {AuthMode::kStrict, AuthMode::kLog, AuthMode::kOff}) {
    MockOptions options;
    options.auth = mode;
    MockFixture mock(options);
    for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
      Call call = mock.Activate();
      call.scheme = scheme;
      Credentials wrong = mock.Key("owner");
      wrong.access_key_secret = "not-the-secret";
      Reply r = mock.Send(call, wrong);
      EXPECT_EQ(r.status, mode == AuthMode::kStrict ? 400 : 200) << r.body;
      nlohmann::json e = Last(mock);
      SCOPED_TRACE(e.dump());
      EXPECT_EQ(Rules(e), (Rs{std::string("signature.mismatch:") +
                              (scheme == SignatureScheme::kV1 ? "Signature" : "Authorization")}));
      EXPECT_EQ(e.at("signature"), "invalid");
      const std::string text = e.dump();
      EXPECT_EQ(text.find("not-the-secret"), std::string::npos);
      EXPECT_EQ(text.find(mock.Var("key.owner.secret")), std::string::npos);
      EXPECT_NE(text.find("does not verify with the secret of access key " + mock.Var("key.owner.id")),
                std::string::npos);
    }
  }
}

TEST(JournalViolations, UnknownKeyAndShapeFailuresAreUnchecked) {
  MockOptions options;
  options.auth = AuthMode::kLog;
  MockFixture mock(options);
  Credentials unknown = mock.Key("owner");
  unknown.access_key_id = "LTAI-nobody";
  EXPECT_EQ(mock.Send(mock.Activate(), unknown).status, 200) << "log mode lets it pass";
  nlohmann::json e = Last(mock);
  EXPECT_EQ(e.at("signature"), "unchecked");
  EXPECT_EQ(Rules(e), Rs{});
  HttpRequest wire = SignCall(mock.Activate(), mock.Key("owner"), SystemClock::Instance()).value();
  std::erase_if(wire.headers, [](const auto& h) { return ToLower(h.first) == "x-acs-signature-nonce"; });
  testing::SendWire(mock.client(), wire);
  e = Last(mock);
  EXPECT_EQ(e.at("signature"), "unchecked");
  EXPECT_EQ(Rules(e), (Rs{"signature.missing:x-acs-signature-nonce"}));
}

TEST(JournalViolations, AccessorIsTheAdminJournal) {
  MockOptions options;
  options.journal_capacity = 3;
  MockServer idle(options);
  EXPECT_EQ(idle.Journal(), (nlohmann::json{{"capacity", 3}, {"recorded", 0}, {"requests", nlohmann::json::array()}}));
  MockFixture mock(options);
  for (int i = 0; i < 5; ++i) {
    Call call = mock.Activate();
    call.params.emplace_back("Extra" + std::to_string(i), "x");
    mock.Send(call, mock.Key("owner"));
  }
  nlohmann::json all = mock.server().Journal();
  EXPECT_EQ(all.at("recorded"), 5) << "counted since the last clear, evicted ones too";
  ASSERT_EQ(all.at("requests").size(), 3u);
  EXPECT_EQ(all["requests"][0]["violations"][0]["parameter"], "Extra2") << "oldest first";
  EXPECT_EQ(mock.Admin("GET", "journal").json, all);
  EXPECT_EQ(mock.Admin("GET", "journal?limit=2").json, mock.server().Journal(2));
  EXPECT_EQ(mock.server().Journal(2)["requests"][1]["violations"][0]["parameter"], "Extra4");
  ASSERT_EQ(mock.Admin("DELETE", "journal").status, 200);
  EXPECT_EQ(mock.server().Journal().at("recorded"), 0);
}

}  // namespace
}  // namespace onsmqtt::mock
