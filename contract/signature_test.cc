#include <gtest/gtest.h>

#include "contract/clock.h"
#include "contract/crypto.h"
#include "contract/signer.h"
#include "contract/verifier.h"

namespace onsmqtt {
namespace {

// --- Published known-answer vectors -----------------------------------------

ParamList V1VectorParams() {
  return {{"AccessKeyId", "testid"},
          {"Action", "DescribeRegions"},
          {"Format", "XML"},
          {"SignatureMethod", "HMAC-SHA1"},
          {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
          {"SignatureVersion", "1.0"},
          {"Timestamp", "2016-02-23T12:46:24Z"},
          {"Version", "2014-05-26"}};
}

TEST(V1KnownAnswer, Get) {
  EXPECT_EQ(V1Signature("testsecret", V1StringToSign("GET", V1VectorParams())).value(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

TEST(V1KnownAnswer, Post) {
  EXPECT_EQ(V1Signature("testsecret", V1StringToSign("POST", V1VectorParams())).value(),
            "MxbnVAM4w6sft9xjVpe/GCKueuk=");
}

TEST(V1KnownAnswer, StringToSignShape) {
  EXPECT_EQ(V1StringToSign("GET", {{"b", "x y"}, {"a", "1"}}), "GET&%2F&a%3D1%26b%3Dx%2520y");
}

// ../shared/vectors/signature_v3.txt
TEST(V3KnownAnswer, PublishedVector) {
  const std::string empty_hash = Sha256Hex("").value();
  EXPECT_EQ(empty_hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  HeaderList headers = {{"host", "ecs.cn-shanghai.aliyuncs.com"},
                        {"x-acs-action", "RunInstances"},
                        {"x-acs-version", "2014-05-26"},
                        {"x-acs-date", "2023-10-26T10:22:32Z"},
                        {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
                        {"x-acs-content-sha256", empty_hash}};
  ParamList query = {{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, {"RegionId", "cn-shanghai"}};
  std::string canonical = V3CanonicalRequest("POST", "/", query, headers, empty_hash);
  EXPECT_EQ(canonical,
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
            "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
            "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
            "x-acs-version:2014-05-26\n\n"
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(canonical).value(), "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
  EXPECT_EQ(V3Signature("YourAccessKeySecret", V3StringToSign(canonical).value()).value(),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
}

TEST(V3KnownAnswer, SignerProducesPublishedAuthorization) {
  Call call;
  call.action = "RunInstances";
  call.version = "2014-05-26";
  call.params = {{"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, {"RegionId", "cn-shanghai"}};
  call.host = "ecs.cn-shanghai.aliyuncs.com";
  call.nonce = "3156853299f313e23d1673dc12e1703d";
  call.timestamp = ParseTimestamp("2023-10-26T10:22:32Z");
  HttpRequest req = SignCall(call, {"YourAccessKeyId", "YourAccessKeySecret", ""}, SystemClock::Instance()).value();
  ASSERT_NE(req.Header("Authorization"), nullptr);
  EXPECT_EQ(*req.Header("Authorization"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
            "x-acs-date;x-acs-signature-nonce;x-acs-version,"
            "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
}

// --- Round trips ---------------------------------------------------------------

const TimePoint kNow = *ParseTimestamp("2026-11-27T10:00:00Z");
const Credentials kCreds = {"LTAI5tTestKeyId", "s3cr3t/with+odd=chars", ""};

struct Variant {
  SignatureScheme scheme;
  HttpMethod method;
  ParamPlacement placement;
};

std::string Describe(const Variant& v) {
  return std::string(SignatureSchemeName(v.scheme)) + "_" + HttpMethodName(v.method) + "_" +
         (v.placement == ParamPlacement::kQuery ? "query" : "form");
}

Call AwkwardCall(const Variant& v) {
  Call call;
  call.action = "ActiveDeviceCertificate";
  call.version = "2020-04-20";
  call.params = {{"MqttInstanceId", "post-cn-7mz2d 1+2"},
                 {"DeviceSn", "*~!'()é/=&"},
                 {"CaSn", std::string(128, '7')},
                 {"Empty", ""}};
  call.method = v.method;
  call.scheme = v.scheme;
  call.placement = v.placement;
  call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
  call.timestamp = kNow;
  return call;
}

void PrintTo(const Variant& v, std::ostream* os) { *os << Describe(v); }

class RoundTrip : public ::testing::TestWithParam<Variant> {};

TEST_P(RoundTrip, SignedRequestVerifies) {
  ManualClock clock(kNow);
  Call call = AwkwardCall(GetParam());
  HttpRequest req = SignCall(call, kCreds, clock).value();
  ParsedRequest parsed;
  AuthOutcome o = ParseSignedRequest(req, &parsed);
  ASSERT_TRUE(o.ok()) << o.code() << " " << o.detail;
  EXPECT_EQ(parsed.scheme, GetParam().scheme);
  EXPECT_EQ(parsed.access_key_id, kCreds.access_key_id);
  EXPECT_EQ(parsed.action, "ActiveDeviceCertificate");
  EXPECT_EQ(parsed.version, "2020-04-20");
  EXPECT_EQ(parsed.format, "JSON");
  EXPECT_EQ(parsed.timestamp, kNow);
  EXPECT_FALSE(parsed.nonce.empty());
  EXPECT_EQ(parsed.params, call.params);  // decoded, in order, common ones removed
  o = VerifySignature(req, parsed, kCreds.access_key_secret);
  EXPECT_TRUE(o.ok()) << o.code() << " " << o.detail << "\n" << o.string_to_sign;
  EXPECT_TRUE(TimestampWithin(parsed, clock, std::chrono::minutes(15)));
  clock.Advance(std::chrono::minutes(16));
  EXPECT_FALSE(TimestampWithin(parsed, clock, std::chrono::minutes(15)));
}

TEST_P(RoundTrip, SecurityTokenTravelsAndIsSigned) {
  Credentials creds = kCreds;
  creds.security_token = "CAIS-token+/=";
  HttpRequest req = SignCall(AwkwardCall(GetParam()), creds, SystemClock::Instance()).value();
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  EXPECT_EQ(parsed.security_token, creds.security_token);
  EXPECT_TRUE(VerifySignature(req, parsed, creds.access_key_secret).ok());
}

TEST_P(RoundTrip, WrongSecretIsRejected) {
  HttpRequest req = SignCall(AwkwardCall(GetParam()), kCreds, SystemClock::Instance()).value();
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  AuthOutcome o = VerifySignature(req, parsed, "not-the-secret");
  EXPECT_EQ(o.error, AuthError::kSignatureMismatch);
  EXPECT_STREQ(o.code(), "SignatureDoesNotMatch");
  EXPECT_FALSE(o.string_to_sign.empty());
}

INSTANTIATE_TEST_SUITE_P(AllVariants, RoundTrip,
                         ::testing::Values(Variant{SignatureScheme::kV1, HttpMethod::kGet, ParamPlacement::kQuery},
                                           Variant{SignatureScheme::kV1, HttpMethod::kPost, ParamPlacement::kQuery},
                                           Variant{SignatureScheme::kV1, HttpMethod::kPost, ParamPlacement::kFormBody},
                                           Variant{SignatureScheme::kV3, HttpMethod::kGet, ParamPlacement::kQuery},
                                           Variant{SignatureScheme::kV3, HttpMethod::kPost, ParamPlacement::kQuery},
                                           Variant{SignatureScheme::kV3, HttpMethod::kPost, ParamPlacement::kFormBody}),
                         [](const auto& info) { return Describe(info.param); });

TEST(Verifier, AcceptsSubDelimsLeftUnescapedOnTheWire) {
  for (SignatureScheme scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Call call = AwkwardCall({scheme, HttpMethod::kGet, ParamPlacement::kQuery});
    call.params = {{"DeviceSn", "a*b!c'd(e)f"}};
    HttpRequest req = SignCall(call, kCreds, SystemClock::Instance()).value();
    // Some clients leave these characters as they are.
    for (const char* esc : {"%2A", "%21", "%27", "%28", "%29"}) {
      static const std::map<std::string, char> kRaw = {
          {"%2A", '*'}, {"%21", '!'}, {"%27", '\''}, {"%28", '('}, {"%29", ')'}};
      for (size_t pos = req.query.find(esc); pos != std::string::npos; pos = req.query.find(esc)) {
        req.query.replace(pos, 3, std::string(1, kRaw.at(esc)));
      }
    }
    ASSERT_NE(req.query.find("a*b!c'd(e)f"), std::string::npos) << req.query;
    ParsedRequest parsed;
    ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
    EXPECT_TRUE(VerifySignature(req, parsed, kCreds.access_key_secret).ok()) << SignatureSchemeName(scheme);
  }
}

// pop-core sends V1 parameters and also x-acs-action/x-acs-version headers.
TEST(Verifier, V1WithAcsHeadersIsStillV1) {
  HttpRequest req = SignCall(AwkwardCall({SignatureScheme::kV1, HttpMethod::kPost, ParamPlacement::kFormBody}), kCreds,
                             SystemClock::Instance())
                        .value();
  req.headers.emplace_back("x-acs-action", "ActiveDeviceCertificate");
  req.headers.emplace_back("x-acs-version", "2020-04-20");
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  EXPECT_EQ(parsed.scheme, SignatureScheme::kV1);
  EXPECT_TRUE(VerifySignature(req, parsed, kCreds.access_key_secret).ok());
}

TEST(Verifier, HeaderNamesInAnyCase) {
  HttpRequest req = SignCall(AwkwardCall({SignatureScheme::kV3, HttpMethod::kPost, ParamPlacement::kFormBody}), kCreds,
                             SystemClock::Instance())
                        .value();
  for (auto& [name, value] : req.headers) {
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  EXPECT_TRUE(VerifySignature(req, parsed, kCreds.access_key_secret).ok());
}

// --- Tampering --------------------------------------------------------------------

struct Tamper {
  const char* name;
  SignatureScheme scheme;
  ParamPlacement placement;
  std::function<void(HttpRequest*)> mutate;
  AuthError expected;
};

void ReplaceIn(std::string* s, const std::string& from, const std::string& to) {
  size_t pos = s->find(from);
  ASSERT_NE(pos, std::string::npos) << from << " not in " << *s;
  s->replace(pos, from.size(), to);
}

void PrintTo(const Tamper& t, std::ostream* os) { *os << t.name; }

class Tampering : public ::testing::TestWithParam<Tamper> {};

TEST_P(Tampering, IsRejectedWithTheRightOutcome) {
  const Tamper& t = GetParam();
  Call call = AwkwardCall({t.scheme, HttpMethod::kPost, t.placement});
  call.params = {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "356217374433"}, {"CaSn", "007269004887"}};
  call.nonce = "nonce-1234";
  HttpRequest req = SignCall(call, kCreds, SystemClock::Instance()).value();
  t.mutate(&req);
  ParsedRequest parsed;
  AuthOutcome o = ParseSignedRequest(req, &parsed);
  if (o.ok()) o = VerifySignature(req, parsed, kCreds.access_key_secret);
  EXPECT_EQ(o.error, t.expected) << t.name << ": got " << o.code() << " (" << o.detail << ")";
}

std::string& Where(HttpRequest* r, ParamPlacement p) { return p == ParamPlacement::kQuery ? r->query : r->body; }

std::vector<Tamper> Tampers() {
  using S = SignatureScheme;
  using P = ParamPlacement;
  using E = AuthError;
  std::vector<Tamper> out;
  for (P p : {P::kQuery, P::kFormBody}) {
    out.push_back({"v1 parameter value", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "356217374433", "356217374434"); },
                   E::kSignatureMismatch});
    out.push_back({"v1 timestamp", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "10%3A00%3A00Z", "10%3A00%3A01Z"); },
                   E::kSignatureMismatch});
    out.push_back({"v1 nonce", S::kV1, p, [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "nonce-1234", "nonce-1235"); },
                   E::kSignatureMismatch});
    out.push_back({"v1 key id", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "LTAI5tTestKeyId", "LTAI5tTestKeyIe"); },
                   E::kSignatureMismatch});
    out.push_back({"v1 action", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "Action=ActiveDevice", "Action=DeleteDevice"); },
                   E::kSignatureMismatch});
    out.push_back({"v1 method", S::kV1, p, [](HttpRequest* r) { r->method = "PUT"; }, E::kSignatureMismatch});
    out.push_back(
        {"v1 added parameter", S::kV1, p, [p](HttpRequest* r) { Where(r, p) += "&Extra=1"; }, E::kSignatureMismatch});
    out.push_back({"v1 timestamp format", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "2026-11-27T10", "2026-11-27 10"); },
                   E::kTimestampFormat});
    out.push_back({"v1 signature removed", S::kV1, p,
                   [p](HttpRequest* r) {
                     std::string& s = Where(r, p);
                     s = s.substr(0, s.find("&Signature="));
                   },
                   E::kIncompleteSignature});
    out.push_back({"v1 nonce removed", S::kV1, p,
                   [p](HttpRequest* r) { ReplaceIn(&Where(r, p), "SignatureNonce=nonce-1234&", ""); },
                   E::kMissingParameter});
  }
  out.push_back({"v3 parameter value", S::kV3, P::kQuery,
                 [](HttpRequest* r) { ReplaceIn(&r->query, "356217374433", "356217374434"); }, E::kSignatureMismatch});
  out.push_back({"v3 body", S::kV3, P::kFormBody,
                 [](HttpRequest* r) { ReplaceIn(&r->body, "356217374433", "356217374434"); }, E::kSignatureMismatch});
  out.push_back({"v3 body and hash", S::kV3, P::kFormBody,
                 [](HttpRequest* r) {
                   ReplaceIn(&r->body, "356217374433", "356217374434");
                   r->SetHeader("x-acs-content-sha256", Sha256Hex(r->body).value());
                 },
                 E::kSignatureMismatch});
  out.push_back({"v3 method", S::kV3, P::kQuery, [](HttpRequest* r) { r->method = "GET"; }, E::kSignatureMismatch});
  out.push_back({"v3 date", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("x-acs-date", "2026-11-27T10:00:01Z"); }, E::kSignatureMismatch});
  out.push_back({"v3 nonce", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("x-acs-signature-nonce", "nonce-9"); }, E::kSignatureMismatch});
  out.push_back({"v3 action header", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("x-acs-action", "DeleteDeviceCertificate"); },
                 E::kSignatureMismatch});
  out.push_back({"v3 unsigned x-acs header", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->headers.emplace_back("x-acs-extra", "1"); }, E::kSignatureMismatch});
  out.push_back({"v3 host", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("host", "onsmqtt.cn-shanghai.aliyuncs.com"); },
                 E::kSignatureMismatch});
  out.push_back({"v3 date format", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("x-acs-date", "Fri, 27 Nov 2026 10:00:00 GMT"); },
                 E::kTimestampFormat});
  out.push_back({"v3 authorization garbled", S::kV3, P::kQuery,
                 [](HttpRequest* r) { r->SetHeader("authorization", "ACS3-HMAC-SHA256 nonsense"); },
                 E::kIncompleteSignature});
  out.push_back({"v3 authorization removed", S::kV3, P::kQuery,
                 [](HttpRequest* r) {
                   r->headers.erase(std::remove_if(r->headers.begin(), r->headers.end(),
                                                   [](const auto& h) { return h.first == "authorization"; }),
                                    r->headers.end());
                 },
                 E::kIncompleteSignature});
  out.push_back({"v3 unknown scheme", S::kV3, P::kQuery,
                 [](HttpRequest* r) {
                   r->SetHeader("authorization", "ACS4-HMAC-SM3 Credential=x,SignedHeaders=host,Signature=00");
                 },
                 E::kIncompleteSignature});
  out.push_back({"v3 nonce header removed", S::kV3, P::kQuery,
                 [](HttpRequest* r) {
                   r->headers.erase(std::remove_if(r->headers.begin(), r->headers.end(),
                                                   [](const auto& h) { return h.first == "x-acs-signature-nonce"; }),
                                    r->headers.end());
                 },
                 E::kMissingParameter});
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllTampers, Tampering, ::testing::ValuesIn(Tampers()), [](const auto& info) {
  std::string name = std::string(info.param.name) + "_" + std::to_string(info.index);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

// V3 does not sign the Credential: a changed key id is caught because the
// verifier reports the new id, whose secret then fails to verify.
TEST(Verifier, V3ChangedKeyIdFailsWithThatKeysSecret) {
  HttpRequest req = SignCall(AwkwardCall({SignatureScheme::kV3, HttpMethod::kPost, ParamPlacement::kQuery}), kCreds,
                             SystemClock::Instance())
                        .value();
  std::string auth = *req.Header("authorization");
  ReplaceIn(&auth, "LTAI5tTestKeyId", "LTAI5tOtherKey");
  req.SetHeader("authorization", auth);
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  EXPECT_EQ(parsed.access_key_id, "LTAI5tOtherKey");
  EXPECT_EQ(VerifySignature(req, parsed, "the-other-keys-secret").error, AuthError::kSignatureMismatch);
}

TEST(Verifier, MismatchCarriesTheServerStringToSign) {
  Call call = AwkwardCall({SignatureScheme::kV1, HttpMethod::kGet, ParamPlacement::kQuery});
  HttpRequest req = SignCall(call, kCreds, SystemClock::Instance()).value();
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(req, &parsed).ok());
  AuthOutcome o = VerifySignature(req, parsed, "wrong");
  EXPECT_EQ(o.string_to_sign.rfind("GET&%2F&AccessKeyId%3DLTAI5tTestKeyId%26Action%3DActiveDeviceCertificate", 0), 0u)
      << o.string_to_sign;
  EXPECT_EQ(o.string_to_sign.find("Signature%3D"), std::string::npos);
}

TEST(Verifier, UnsignedRequestNamesTheMissingParameter) {
  HttpRequest req;
  req.query = "Action=ActiveDeviceCertificate&Version=2020-04-20";
  ParsedRequest parsed;
  AuthOutcome o = ParseSignedRequest(req, &parsed);
  EXPECT_EQ(o.error, AuthError::kMissingParameter);
  EXPECT_EQ(o.detail, "AccessKeyId");
}

}  // namespace
}  // namespace onsmqtt
