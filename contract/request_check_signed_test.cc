// CheckSignedRequest (contract/request_check.h) on requests signed by
// contract/signer.h, then changed on the wire.
#include <gtest/gtest.h>

#include <functional>

#include "contract/clock.h"
#include "contract/request_check.h"
#include "contract/signer.h"

namespace onsmqtt {
namespace {

constexpr char kSecret[] = "the-secret-of-the-test-key";

HttpRequest Signed(SignatureScheme scheme, ParamPlacement placement = ParamPlacement::kQuery) {
  Call call;
  call.action = "ActiveDeviceCertificate";
  call.version = "2020-04-20";
  call.params = {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "abc"}, {"CaSn", "def"}};
  call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
  call.scheme = scheme;
  call.placement = placement;
  call.method = HttpMethod::kPost;
  return SignCall(call, {"LTAI-test", kSecret, "sts-token-value"}, SystemClock::Instance()).value();
}

struct Checked {
  std::vector<Violation> violations;
  std::string verdict;
};

// As the mock does: read, verify with `secret` when the shape is ok.
Checked Check(const HttpRequest& wire, const char* secret = kSecret) {
  RequestReading reading = ReadRequest(wire);
  std::optional<AuthOutcome> sig;
  if (reading.shape.ok() && secret != nullptr) sig = VerifySignature(wire, reading.parsed, secret);
  const AuthOutcome* s = sig ? &*sig : nullptr;
  return {CheckSignedRequest(wire, reading, s), SignatureVerdict(s)};
}

std::vector<std::string> Rules(const Checked& c) {
  std::vector<std::string> out;
  for (const Violation& v : c.violations) out.push_back(v.rule + ":" + v.parameter);
  return out;
}

using Rs = std::vector<std::string>;

void ExpectNoSecrets(const Checked& c, const HttpRequest& wire) {
  const std::string* auth = wire.Header("authorization");
  for (const Violation& v : c.violations) {
    EXPECT_EQ(v.message.find(kSecret), std::string::npos) << v.message;
    EXPECT_EQ(v.message.find("sts-token-value"), std::string::npos) << v.message;
    if (auth != nullptr) {
      std::string signature = auth->substr(auth->find("Signature=") + 10);
      EXPECT_EQ(v.message.find(signature), std::string::npos) << v.message;
    }
  }
}

TEST(CheckSignedRequest, CorrectRequestsOfBothSchemes) {
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
      Checked c = Check(Signed(scheme, placement));
      EXPECT_EQ(Rules(c), Rs{}) << SignatureSchemeName(scheme);
      EXPECT_EQ(c.verdict, "valid");
    }
    Checked unverified = Check(Signed(scheme), nullptr);
    EXPECT_EQ(Rules(unverified), Rs{});
    EXPECT_EQ(unverified.verdict, "unchecked");
  }
}

TEST(CheckSignedRequest, WrongSecret) {
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    HttpRequest wire = Signed(scheme);
    Checked c = Check(wire, "not-the-secret");
    EXPECT_EQ(c.verdict, "invalid");
    ASSERT_EQ(c.violations.size(), 1u) << SignatureSchemeName(scheme);
    EXPECT_EQ(c.violations[0].rule, rules::kSignatureMismatch);
    EXPECT_EQ(c.violations[0].parameter, scheme == SignatureScheme::kV1 ? "Signature" : "Authorization");
    EXPECT_EQ(c.violations[0].message, std::string("the ") + (scheme == SignatureScheme::kV1 ? "V1" : "V3") +
                                           " signature of the request for ActiveDeviceCertificate does not verify "
                                           "with the secret of access key LTAI-test");
    ExpectNoSecrets(c, wire);
  }
}

TEST(CheckSignedRequest, UnsignedHeadersOfV3) {
  HttpRequest wire = Signed(SignatureScheme::kV3);
  wire.headers.emplace_back("X-Acs-Extra", "1");
  wire.headers.emplace_back("Content-Type", "application/json");
  wire.headers.emplace_back("x-other", "not signed by the server either");
  Checked c = Check(wire);
  EXPECT_EQ(Rules(c),
            (Rs{"headers.unsigned:content-type", "headers.unsigned:x-acs-extra", "signature.mismatch:Authorization"}));
  EXPECT_EQ(c.violations[1].message.rfind("x-acs-extra is sent but not in the SignedHeaders of the request for "
                                          "ActiveDeviceCertificate (host;x-acs-",
                                          0),
            0u)
      << c.violations[1].message;
  ExpectNoSecrets(c, wire);
  // Without a key the header rule still holds.
  EXPECT_EQ(Rules(Check(wire, nullptr)), (Rs{"headers.unsigned:content-type", "headers.unsigned:x-acs-extra"}));
  // V1 requests carry x-acs-* headers unsigned (pop-core does): no rule.
  HttpRequest v1 = Signed(SignatureScheme::kV1);
  v1.headers.emplace_back("x-acs-action", "ActiveDeviceCertificate");
  EXPECT_EQ(Rules(Check(v1)), Rs{});
}

TEST(CheckSignedRequest, ContentSha256OfV3) {
  HttpRequest wire = Signed(SignatureScheme::kV3, ParamPlacement::kFormBody);
  wire.body += "&Extra=1";
  Checked c = Check(wire);
  EXPECT_EQ(Rules(c), (Rs{"headers.content_sha256:x-acs-content-sha256", "signature.mismatch:Authorization"}));
  EXPECT_NE(c.violations[1].message.find("(x-acs-content-sha256 does not match the body)"), std::string::npos)
      << c.violations[1].message;
  EXPECT_NE(
      c.violations[0].message.find("is not the SHA-256 of its body (" + std::to_string(wire.body.size()) + " bytes, "),
      std::string::npos)
      << c.violations[0].message;
}

TEST(CheckSignedRequest, ShapeFailures) {
  struct Case {
    SignatureScheme scheme;
    std::function<void(HttpRequest*)> change;
    Rs rules;
  };
  auto drop = [](const char* name) {
    return
        [name](HttpRequest* w) { std::erase_if(w->headers, [&](const auto& h) { return ToLower(h.first) == name; }); };
  };
  const Case cases[] = {
      {SignatureScheme::kV3, drop("authorization"), {"signature.incomplete:Authorization"}},
      {SignatureScheme::kV3, drop("x-acs-signature-nonce"), {"signature.missing:x-acs-signature-nonce"}},
      {SignatureScheme::kV3,
       [](HttpRequest* w) { w->SetHeader("x-acs-date", "tomorrow"); },
       {"signature.timestamp_format:x-acs-date"}},
      {SignatureScheme::kV1,
       [](HttpRequest* w) {
         size_t at = w->query.find("Timestamp=") + 10;
         w->query.replace(at, w->query.find('&', at) - at, "yesterday");
       },
       {"signature.timestamp_format:Timestamp"}},
  };
  for (const Case& c : cases) {
    HttpRequest wire = Signed(c.scheme);
    c.change(&wire);
    Checked checked = Check(wire);
    EXPECT_EQ(Rules(checked), c.rules) << wire.Target();
    EXPECT_EQ(checked.verdict, "unchecked") << "the verifier stops at the shape";
  }
  HttpRequest v1 = Signed(SignatureScheme::kV1);
  v1.query = v1.query.substr(0, v1.query.find("&Signature="));
  Checked c = Check(v1);
  ASSERT_EQ(Rules(c), (Rs{"signature.incomplete:Signature"}));
  EXPECT_EQ(c.violations[0].message,
            "the request for ActiveDeviceCertificate is not completely signed: the Signature parameter is missing");
}

}  // namespace
}  // namespace onsmqtt
