#include "runner/result/redact.h"

#include <gtest/gtest.h>

#include "contract/signer.h"

namespace onsmqtt::runner {
namespace {

constexpr char kSecret[] = "q7Lm2Xv9Rk4Tn8Wp3Zs6Yb1Hc5Jd0F";
constexpr char kToken[] = "CAIS+token/with=chars";

Call SampleCall(SignatureScheme scheme, ParamPlacement placement) {
  Call c;
  c.action = "ActiveDeviceCertificate";
  c.version = "2020-04-20";
  c.params = {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "aa"}, {"CaSn", "bb"}};
  c.scheme = scheme;
  c.placement = placement;
  c.host = "127.0.0.1:8080";
  return c;
}

// The signature a request carries, as the signer computed it.
std::string SignatureOf(const HttpRequest& req) {
  if (const std::string* auth = req.Header("authorization")) return auth->substr(auth->find("Signature=") + 10);
  for (const auto& [k, v] : ParseQueryString(req.query + "&" + req.body, false)) {
    if (k == "Signature") return v;
  }
  return "";
}

TEST(Redactor, HidesSignaturesTokensAndSecretsInEveryScheme) {
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
      HttpRequest req =
          SignCall(SampleCall(scheme, placement), {"LTAIid", kSecret, kToken}, SystemClock::Instance()).value();
      std::string signature = SignatureOf(req);
      ASSERT_FALSE(signature.empty());
      Redactor r;
      r.AddSecret(kSecret);
      r.AddSecret(kToken);
      HttpRequest red = r.RedactRequest(req);
      std::string curl = CurlCommand(red, {"http://127.0.0.1:8080", "", false});
      std::string all = RequestLine(red) + curl;
      for (const auto& [k, v] : red.headers) all += k + v;
      for (const std::string& hidden :
           {std::string(kSecret), std::string(kToken), PercentEncode(kToken), signature, PercentEncode(signature)}) {
        EXPECT_EQ(all.find(hidden), std::string::npos) << hidden << " leaked in " << all;
      }
      EXPECT_NE(curl.find("***"), std::string::npos);
      EXPECT_NE(curl.find("MqttInstanceId=post-cn-1"), std::string::npos) << "non-secret parts stay readable";
      EXPECT_NE(all.find("LTAIid"), std::string::npos) << "the AccessKeyId is not a secret";
    }
  }
}

TEST(Redactor, FreeTextTable) {
  Redactor r;
  r.AddSecret("supersecretvalue");
  r.AddSecret("abc");  // too short to redact safely: ignored
  const std::pair<std::string, std::string> cases[] = {
      {"key supersecretvalue here", "key *** here"},
      {"Signature=abc%2Bdef&Action=X", "Signature=***&Action=X"},
      {"SignatureMethod=HMAC-SHA1&SignatureNonce=1", "SignatureMethod=HMAC-SHA1&SignatureNonce=1"},
      {"Credential=LTAI,SignedHeaders=host,Signature=0af3", "Credential=LTAI,SignedHeaders=host,Signature=***"},
      {"x-acs-security-token: tok123", "x-acs-security-token: ***"},
      {"{\"AccessKeySecret\": \"s3cr3t\"}", "{\"AccessKeySecret\": \"***\"}"},
      {"SecurityToken=t0k", "SecurityToken=***"},
      {"abc stays", "abc stays"},
      {"supersecretvalue%2F", "***%2F"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(r.Redact(in), out) << in;
}

TEST(Redactor, PercentEncodedSecretsAreHiddenToo) {
  Redactor r;
  r.AddSecret("a/b+c=d");
  EXPECT_EQ(r.Redact("x=a%2Fb%2Bc%3Dd"), "x=***");
  EXPECT_EQ(r.Redact("raw a/b+c=d"), "raw ***");
}

constexpr char kKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\n"
    "OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n"
    "-----END PRIVATE KEY-----\n";

TEST(Redactor, HidesEveryPrivateKeyBlockRegisteredOrNot) {
  Redactor r;
  EXPECT_EQ(r.Redact(std::string("key: ") + kKeyPem + "after"), "key: ***\nafter");
  EXPECT_EQ(r.Redact("-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----"), "***");
  EXPECT_EQ(r.Redact("-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc (truncated"), "***");
  // Certificates are not secrets.
  const std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(r.Redact(cert), cert);
}

TEST(Redactor, HidesEachLineOfASecretPem) {
  Redactor r;
  r.AddSecret(kKeyPem);
  EXPECT_EQ(r.Redact("OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r"), "***");
  EXPECT_EQ(r.Redact("b=OF%2F2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz%2Bjn65BtOMvdyHKcvjBeBSDZH2r"), "b=***");
}

TEST(CurlCommand, QuotesForTheShell) {
  HttpRequest req;
  req.method = "POST";
  req.query = "A=1";
  req.headers = {{"x-test", "it's"}};
  req.body = "B=2";
  EXPECT_EQ(
      CurlCommand(req, {"https://h.example.com/", "ca.pem", true}),
      "curl -sS -k --cacert 'ca.pem' -X POST -H 'x-test: it'\\''s' --data-raw 'B=2' 'https://h.example.com/?A=1'");
}

}  // namespace
}  // namespace onsmqtt::runner
