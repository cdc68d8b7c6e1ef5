// Temporary credentials (STS security tokens): the auth policy's token rules
// with a ManualClock (each rule, the expiry boundary, the order of checks,
// the modes), then the whole mock over real HTTP with requests signed by
// contract/signer.h, the token as V1's SecurityToken parameter and as V3's
// x-acs-security-token header.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "contract/clock.h"
#include "contract/codes.h"
#include "contract/contract.h"
#include "contract/signer.h"
#include "contract/verifier.h"
#include "mock_server/gateway/auth_policy.h"
#include "mock_server/gateway/http_test_support.h"
#include "mock_server/gateway/request_log.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

constexpr char kOwner[] = "owner";
constexpr char kStsOwner[] = "sts_owner";
constexpr char kStsRam[] = "sts_ram_user_without_permission";
constexpr char kStsExpired[] = "sts_expired";
constexpr char kMalformed[] = "not-a-token";
constexpr char kNoToken[] = "";
constexpr const char* kSchemes[] = {"v1", "v3"};

SignatureScheme Scheme(const std::string& name) { return name == "v1" ? SignatureScheme::kV1 : SignatureScheme::kV3; }

// The default fixture, the auth policy under test and a clock only the test
// moves; the log goes to a temporary file the test can read.
class AuthPolicyTokenTest : public ::testing::Test {
 protected:
  AuthPolicyTokenTest()
      : clock_(ParseTimestamp("2026-06-01T12:00:00Z").value()),
        catalog_(ErrorCatalog::Create(BuiltinContract(), options_).value()),
        log_file_(std::tmpfile()),
        log_(log_file_, false) {
    options_.check_nonce_replay = false;
    state_ = MockState::Load(testing::kDefaultFixture, &catalog_, &options_, &clock_).value();
    vars_ = state_->Variables();
  }
  ~AuthPolicyTokenTest() override { std::fclose(log_file_); }

  Credentials Creds(const std::string& identity) {
    std::string token = vars_.count("key." + identity + ".token") ? vars_.at("key." + identity + ".token") : "";
    return {vars_.at("key." + identity + ".id"), vars_.at("key." + identity + ".secret"), token};
  }

  AuthResult Authenticate(const Credentials& creds, SignatureScheme scheme = SignatureScheme::kV3) {
    Call call;
    call.action = "ActiveDeviceCertificate";
    call.version = "2020-04-20";
    call.params = {{"MqttInstanceId", vars_.at("instance.platinum.id")}};
    call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
    call.scheme = scheme;
    HttpRequest wire = SignCall(call, creds, clock_).value();
    RequestReading reading = ReadRequest(wire);
    EXPECT_TRUE(reading.shape.ok()) << reading.shape.detail;
    AuthPolicy policy(&options_, &catalog_, &clock_, nullptr, &log_);
    return policy.Authenticate(wire, reading, state_.get());
  }

  std::string Code(const AuthResult& r) { return r.error ? r.error->code : ""; }

  std::string LogText() {
    std::fflush(log_file_);
    std::rewind(log_file_);
    std::string text;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, log_file_)) > 0;) text.append(buf, n);
    return text;
  }

  MockOptions options_;
  ManualClock clock_;
  ErrorCatalog catalog_;
  std::unique_ptr<MockState> state_;
  std::map<std::string, std::string> vars_;
  std::FILE* log_file_;
  RequestLog log_;
};

struct Rule {
  const char* name;
  const char* identity;
  const char* token;  // nullptr: the identity's own (none for a permanent key)
  const char* code;   // "": passes
};

const Rule kRules[] = {
    {"valid token", kStsOwner, nullptr, ""},
    {"RAM user's valid token", kStsRam, nullptr, ""},
    {"permanent key without token", kOwner, nullptr, ""},
    {"temporary key without token", kStsOwner, kNoToken, codes::kMissingSecurityToken},
    {"expired credential", kStsExpired, nullptr, codes::kInvalidSecurityTokenExpired},
    {"expired credential without token", kStsExpired, kNoToken, codes::kMissingSecurityToken},
    {"unknown token", kStsOwner, kMalformed, codes::kInvalidSecurityTokenMalformed},
    {"permanent key with an unknown token", kOwner, kMalformed, codes::kInvalidSecurityTokenMalformed},
    {"another credential's token", kStsOwner, kStsRam, codes::kInvalidSecurityTokenMismatch},
    {"an expired credential's token", kStsOwner, kStsExpired, codes::kInvalidSecurityTokenMismatch},
    {"expired credential with another's token", kStsExpired, kStsOwner, codes::kInvalidSecurityTokenMismatch},
    {"permanent key with a credential's token", kOwner, kStsOwner, codes::kInvalidSecurityTokenMismatch},
};

TEST_F(AuthPolicyTokenTest, EachRuleWithBothSchemes) {
  for (const char* scheme : kSchemes) {
    for (const Rule& rule : kRules) {
      SCOPED_TRACE(std::string(scheme) + ": " + rule.name);
      Credentials creds = Creds(rule.identity);
      if (rule.token != nullptr) {
        const std::string other = std::string("key.") + rule.token + ".token";
        creds.security_token = vars_.count(other) ? vars_.at(other) : rule.token;
      }
      AuthResult r = Authenticate(creds, Scheme(scheme));
      EXPECT_EQ(Code(r), rule.code);
      if (r.error) {
        EXPECT_EQ(r.error->status, 400);
      }
    }
  }
}

TEST_F(AuthPolicyTokenTest, TheCallerIsTheCredentialsAccountOrRamUser) {
  AuthResult owner = Authenticate(Creds(kStsOwner));
  ASSERT_FALSE(owner.error.has_value()) << owner.error->code;
  EXPECT_EQ(owner.caller.access_key_id, vars_.at("key.sts_owner.id"));
  EXPECT_EQ(owner.caller.account_uid, vars_.at("account.owner.uid"));
  EXPECT_EQ(owner.caller.ram_user, "");
  AuthResult ram = Authenticate(Creds(kStsRam));
  ASSERT_FALSE(ram.error.has_value()) << ram.error->code;
  EXPECT_EQ(ram.caller.account_uid, vars_.at("account.owner.uid"));
  EXPECT_EQ(ram.caller.ram_user, "cert-reader-without-permission");
}

TEST_F(AuthPolicyTokenTest, ExpiredFromTheExpirationInstantOn) {
  const TimePoint expiration = ParseTimestamp(vars_.at("key.sts_owner.expiration")).value();
  clock_.Set(expiration - std::chrono::seconds(1));
  EXPECT_EQ(Code(Authenticate(Creds(kStsOwner))), "");
  clock_.Set(expiration - std::chrono::microseconds(1));
  EXPECT_EQ(Code(Authenticate(Creds(kStsOwner))), "");
  clock_.Set(expiration);
  EXPECT_EQ(Code(Authenticate(Creds(kStsOwner))), codes::kInvalidSecurityTokenExpired);
  clock_.Set(expiration + std::chrono::hours(1));
  EXPECT_EQ(Code(Authenticate(Creds(kStsOwner))), codes::kInvalidSecurityTokenExpired);
  // An expired credential is valid before its expiration.
  clock_.Set(ParseTimestamp(vars_.at("key.sts_expired.expiration")).value() - std::chrono::minutes(1));
  EXPECT_EQ(Code(Authenticate(Creds(kStsExpired))), "");
}

TEST_F(AuthPolicyTokenTest, KeyLookupThenTokenThenSignature) {
  Credentials unknown = Creds(kStsOwner);
  unknown.access_key_id = "STS.NoSuchCredential";
  EXPECT_EQ(Code(Authenticate(unknown)), codes::kInvalidAccessKeyIdNotFound);
  Credentials disabled = Creds("disabled");
  disabled.security_token = kMalformed;
  EXPECT_EQ(Code(Authenticate(disabled)), codes::kInvalidAccessKeyIdInactive);
  Credentials expired_wrong_secret = Creds(kStsExpired);
  expired_wrong_secret.access_key_secret = "wrong-secret";
  EXPECT_EQ(Code(Authenticate(expired_wrong_secret)), codes::kInvalidSecurityTokenExpired);
  Credentials missing_wrong_secret = Creds(kStsOwner);
  missing_wrong_secret.security_token = "";
  missing_wrong_secret.access_key_secret = "wrong-secret";
  EXPECT_EQ(Code(Authenticate(missing_wrong_secret)), codes::kMissingSecurityToken);
  Credentials valid_wrong_secret = Creds(kStsOwner);
  valid_wrong_secret.access_key_secret = "wrong-secret";
  EXPECT_EQ(Code(Authenticate(valid_wrong_secret)), codes::kSignatureDoesNotMatch);
}

TEST_F(AuthPolicyTokenTest, LogModeNotesAndPassesOffModeSkips) {
  options_.auth = AuthMode::kLog;
  AuthResult logged = Authenticate(Creds(kStsExpired));
  EXPECT_FALSE(logged.error.has_value());
  EXPECT_EQ(logged.caller.account_uid, vars_.at("account.owner.uid"));
  Credentials malformed = Creds(kStsOwner);
  malformed.security_token = kMalformed;
  EXPECT_FALSE(Authenticate(malformed).error.has_value());
  const std::string log = LogText();
  EXPECT_NE(log.find(std::string("would answer ") + codes::kInvalidSecurityTokenExpired), std::string::npos) << log;
  EXPECT_NE(log.find(codes::kInvalidSecurityTokenMalformed), std::string::npos) << log;
  for (const char* k : {kStsExpired, kStsOwner}) {
    EXPECT_EQ(log.find(vars_.at(std::string("key.") + k + ".token")), std::string::npos) << k;
    EXPECT_EQ(log.find(vars_.at(std::string("key.") + k + ".secret")), std::string::npos) << k;
  }
  EXPECT_EQ(log.find(kMalformed), std::string::npos);
  options_.auth = AuthMode::kOff;
  EXPECT_FALSE(Authenticate(Creds(kStsExpired)).error.has_value());
  EXPECT_EQ(LogText(), log);  // off: nothing noted
}

// --- Over HTTP ------------------------------------------------------------------

Credentials HttpCreds(const MockFixture& mock, const std::string& identity, const char* token) {
  Credentials creds = mock.Key(identity);
  if (identity.rfind("sts_", 0) == 0) creds.security_token = mock.Var("key." + identity + ".token");
  if (token != nullptr) {
    creds.security_token = std::string(token).rfind("sts_", 0) == 0 ? mock.Var(std::string("key.") + token + ".token")
                                                                    : std::string(token);
  }
  return creds;
}

TEST(SecurityTokenHttpTest, SignedRequestsWithTokensInBothSchemes) {
  MockFixture mock;
  struct Case {
    const char* identity;
    const char* token;
    int status;
    const char* code;  // "": success
  } cases[] = {{kStsOwner, nullptr, 200, ""},
               {kStsRam, nullptr, 403, codes::kPermissionCheckFailed},
               {kStsExpired, nullptr, 400, codes::kInvalidSecurityTokenExpired},
               {kStsOwner, kNoToken, 400, codes::kMissingSecurityToken},
               {kStsOwner, kMalformed, 400, codes::kInvalidSecurityTokenMalformed},
               {kOwner, kMalformed, 400, codes::kInvalidSecurityTokenMalformed},
               {kStsOwner, kStsRam, 400, codes::kInvalidSecurityTokenMismatch}};
  for (const char* scheme : kSchemes) {
    for (HttpMethod method : {HttpMethod::kGet, HttpMethod::kPost}) {
      for (const Case& c : cases) {
        SCOPED_TRACE(std::string(scheme) + " " + HttpMethodName(method) + " " + c.identity + " token " +
                     (c.token == nullptr ? "(own)" : c.token));
        Call call = mock.Activate();
        call.scheme = Scheme(scheme);
        call.method = method;
        Reply r = mock.Send(call, HttpCreds(mock, c.identity, c.token));
        ASSERT_TRUE(r.answered);
        EXPECT_EQ(r.status, c.status) << r.body;
        EXPECT_EQ(r.Code(), c.code) << r.body;
        if (*c.code != '\0') {
          EXPECT_EQ(r.json.value("Message", ""), BuiltinContract().FindError(c.code)->message);
        }
      }
    }
  }
}

TEST(SecurityTokenHttpTest, NoSecretOrTokenInTheJournalOrTheState) {
  MockFixture mock;
  for (const char* scheme : kSchemes) {
    Call call = mock.Activate();
    call.scheme = Scheme(scheme);
    ASSERT_EQ(mock.Send(call, HttpCreds(mock, kStsOwner, nullptr)).status, 200);
    ASSERT_EQ(mock.Send(call, HttpCreds(mock, kStsExpired, nullptr)).Code(), codes::kInvalidSecurityTokenExpired);
    ASSERT_EQ(mock.Send(call, HttpCreds(mock, kStsOwner, kMalformed)).Code(), codes::kInvalidSecurityTokenMalformed);
  }
  Reply journal = mock.Admin("GET", "journal");
  ASSERT_EQ(journal.status, 200);
  ASSERT_EQ(journal.json["requests"].size(), 6u) << journal.body;
  EXPECT_EQ(journal.json["requests"][0].value("access_key_id", ""), mock.Var("key.sts_owner.id"));
  EXPECT_EQ(journal.json["requests"][0].value("account_uid", ""), mock.Var("account.owner.uid"));
  Reply state = mock.Admin("GET", "state");
  ASSERT_EQ(state.status, 200);
  ASSERT_EQ(state.json["temporary_credentials"].size(), 3u) << state.body;
  for (const std::string& body : {journal.body, state.body}) {
    // The codes name it; the parameter and the header never appear.
    EXPECT_EQ(body.find("\"SecurityToken\""), std::string::npos);
    EXPECT_EQ(body.find("SecurityToken="), std::string::npos);
    EXPECT_EQ(body.find("x-acs-security-token"), std::string::npos);
    EXPECT_EQ(body.find(kMalformed), std::string::npos);
    for (const char* k : {kStsOwner, kStsRam, kStsExpired}) {
      EXPECT_EQ(body.find(mock.Var(std::string("key.") + k + ".token")), std::string::npos) << k;
      EXPECT_EQ(body.find(mock.Var(std::string("key.") + k + ".secret")), std::string::npos) << k;
    }
  }
  EXPECT_NE(state.body.find(mock.Var("key.sts_expired.id")), std::string::npos);
  EXPECT_NE(state.body.find("2020-01-01T00:00:00Z"), std::string::npos);
}

}  // namespace
}  // namespace onsmqtt::mock
