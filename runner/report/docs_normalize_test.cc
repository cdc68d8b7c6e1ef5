#include <gtest/gtest.h>

#include <string>

#include "contract/percent.h"
#include "runner/report/docs.h"
#include "runner/report/docs_test_util.h"

namespace onsmqtt::runner {
namespace {

using docs_test::Answer;
using docs_test::CallSpec;
using docs_test::Envelope;
using docs_test::RunVariation;
using docs_test::SignedExchange;

// Every text of an exchange, to compare two of them whole.
std::string Dump(const Exchange& e) {
  std::string out = e.request_line + "\n" + e.curl + "\n" + std::to_string(e.status) + "\n" + e.request_id + "\n" +
                    e.code + "\n" + e.message + "\n" + e.body + "\n" + e.action + e.scheme + e.format + "\n" +
                    e.request.method + " " + e.request.Target() + "\n";
  for (const auto& [k, v] : e.request.headers) out += k + ": " + v + "\n";
  out += e.request.body + "\n";
  for (const auto& [k, v] : e.response_headers) out += k + ": " + v + "\n";
  for (const auto& [k, v] : e.generated) out += k + "=" + v + "\n";
  return out + std::to_string(e.seconds);
}

RunVariation Later() {
  RunVariation v;
  v.when += std::chrono::hours(30) + std::chrono::seconds(17);
  v.nonce = "a0b1c2d3e4f5061728394a5b6c7d8e9f";
  v.request_id = "7C4B1B8E-2D0A-4C39-9F55-0E1A2B3C4D5E";
  v.port = 41007;
  v.keep_alive_max = 2;
  v.seconds = 0.4;
  return v;
}

Exchange Success(const CallSpec& spec, const RunVariation& v) {
  Exchange e = SignedExchange(spec, v);
  Answer(&e, 200, R"({"RequestId":"{request_id}","DeviceSn":"356217374433"})", v);
  return e;
}

const std::string& HeaderOf(const HeaderList& headers, const std::string& name) {
  const std::string* value = FindHeader(headers, name);
  static const std::string kNone = "(none)";
  return value != nullptr ? *value : kNone;
}

TEST(NormalizeExchange, V1FormBodyIsTheSameInEveryRun) {
  CallSpec spec;
  spec.scheme = SignatureScheme::kV1;
  spec.placement = ParamPlacement::kFormBody;
  Exchange a = NormalizeExchange(Success(spec, RunVariation()), {});
  Exchange b = NormalizeExchange(Success(spec, Later()), {});
  EXPECT_EQ(Dump(a), Dump(b));
  EXPECT_NE(a.request.body.find("SignatureNonce=<nonce>&"), std::string::npos) << a.request.body;
  EXPECT_NE(a.request.body.find("Timestamp=<timestamp>&"), std::string::npos) << a.request.body;
  EXPECT_NE(a.request.body.find("Signature=***"), std::string::npos) << "redacted signatures stay redacted";
  EXPECT_NE(a.request.body.find("AccessKeyId=LTAI5tDocsTestKey01&"), std::string::npos) << "not generated: kept";
  EXPECT_EQ(HeaderOf(a.request.headers, "Host"), "127.0.0.1:<port>");
  EXPECT_NE(a.curl.find("'http://127.0.0.1:<port>/'"), std::string::npos) << a.curl;
  EXPECT_NE(a.curl.find("Timestamp=<timestamp>"), std::string::npos) << a.curl;
  EXPECT_EQ(HeaderOf(a.response_headers, "x-acs-request-id"), "<uuid-1>");
  EXPECT_EQ(a.body, R"({"RequestId":"<uuid-1>","DeviceSn":"356217374433"})");
  EXPECT_EQ(a.request_id, "<uuid-1>");
  EXPECT_EQ(HeaderOf(a.response_headers, "Keep-Alive"), "timeout=5, max=<n>");
  EXPECT_EQ(a.seconds, 0);
  EXPECT_EQ(a.generated,
            (std::vector<std::pair<std::string, std::string>>{{"nonce", "<nonce>"}, {"timestamp", "<timestamp>"}}));
}

TEST(NormalizeExchange, V3HeadersEvenWhenNotListedAsGenerated) {
  CallSpec spec;
  spec.method = HttpMethod::kGet;
  spec.action = "GetDeviceCertificate";
  Exchange raw_a = Success(spec, RunVariation());
  Exchange raw_b = Success(spec, Later());
  raw_a.generated.clear();
  raw_b.generated.clear();
  Exchange a = NormalizeExchange(raw_a, {});
  EXPECT_EQ(Dump(a), Dump(NormalizeExchange(raw_b, {})));
  EXPECT_EQ(HeaderOf(a.request.headers, "x-acs-date"), "<timestamp>");
  EXPECT_EQ(HeaderOf(a.request.headers, "x-acs-signature-nonce"), "<nonce>");
  const std::string& auth = HeaderOf(a.request.headers, "authorization");
  EXPECT_EQ(auth.rfind("ACS3-HMAC-SHA256 Credential=LTAI5tDocsTestKey01,SignedHeaders=", 0), 0u) << auth;
  EXPECT_EQ(auth.substr(auth.size() - 13), "Signature=***");
  // The body did not change: its hash is still the one sent (of "").
  EXPECT_EQ(HeaderOf(a.request.headers, "x-acs-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(a.request.query, "Format=JSON&MqttInstanceId=post-cn-7mz2d0001&DeviceSn=356217374433&CaSn=0072690048");
  EXPECT_NE(a.curl.find("-H 'x-acs-date: <timestamp>'"), std::string::npos) << a.curl;
  EXPECT_EQ(a.request_line, "GET /?" + a.request.query);
}

TEST(NormalizeExchange, GeneratedValuesRawAndPercentEncodedAndTheBodyHash) {
  CallSpec spec;
  spec.placement = ParamPlacement::kFormBody;
  const std::string made_up = "SN 2026/12 #1";
  spec.params = {{"MqttInstanceId", "post-cn-7mz2d0001"}, {"DeviceSn", made_up}, {"CaSn", "0072690048"}};
  Exchange raw = SignedExchange(spec, RunVariation());
  raw.generated.emplace_back("device_sn", made_up);
  Answer(&raw, 500, Envelope("FindDeviceBySnError", "no device " + made_up), RunVariation(), "FindDeviceBySnError",
         "no device " + made_up);
  std::string old_hash = HeaderOf(raw.request.headers, "x-acs-content-sha256");
  ASSERT_NE(raw.request.body.find(PercentEncode(made_up)), std::string::npos) << raw.request.body;
  Exchange e = NormalizeExchange(raw, {});
  EXPECT_EQ(e.request.body, "MqttInstanceId=post-cn-7mz2d0001&DeviceSn=<device_sn>&CaSn=0072690048");
  EXPECT_EQ(e.message, "no device <device_sn>");
  EXPECT_NE(e.body.find(R"("Message":"no device <device_sn>")"), std::string::npos) << e.body;
  EXPECT_EQ(HeaderOf(e.request.headers, "x-acs-content-sha256"), "<sha256 of the body>");
  EXPECT_EQ(Dump(e).find(old_hash), std::string::npos) << "a hash that no longer matches is nowhere";
  EXPECT_NE(e.curl.find("x-acs-content-sha256: <sha256 of the body>"), std::string::npos) << e.curl;
  EXPECT_NE(e.body.find("requestId=<uuid-1>\""), std::string::npos) << "the Recommend URL's id too: " << e.body;
}

TEST(NormalizeExchange, UuidsAreNumberedByFirstAppearanceWhenBounded) {
  Exchange raw;
  raw.request.query = "Nonce=c0ffee00-1111-4222-8333-444455556666&RegistrationCode=x";
  raw.body =
      "13274673-8f90-4630-bea1-9cccb25756ad2089c0ffee, x13274673-8f90-4630-bea1-9cccb25756ad, "
      "AAAAAAAA-1111-4222-8333-444455556666 C0FFEE00-1111-4222-8333-444455556666 "
      "aaaaaaaa-1111-4222-8333-444455556666.";
  Exchange e = NormalizeExchange(raw, {});
  EXPECT_EQ(e.request.query, "Nonce=<uuid-1>&RegistrationCode=x");
  EXPECT_EQ(e.body,
            "13274673-8f90-4630-bea1-9cccb25756ad2089c0ffee, x13274673-8f90-4630-bea1-9cccb25756ad, "
            "<uuid-2> <uuid-1> <uuid-2>.")
      << "a registration code and a letter-bounded UUID are left alone; case does not matter";
}

TEST(NormalizeExchange, IsoTimesDateAndKeepAlive) {
  Exchange raw;
  raw.request.query = "ValidEnd=1796193630000&At=2026-12-02T06%3A40%3A30Z&Day=2026-12-02";
  raw.body = R"({"a":"2026-12-02T06:40:30Z","b":"2026-12-02T06:40:30.123Z","c":"2026-12-02T06:40"})";
  raw.response_headers = {{"Date", "Wed, 02 Dec 2026 06:40:30 GMT"}, {"keep-alive", "timeout=5, max=97"}};
  Exchange e = NormalizeExchange(raw, {});
  EXPECT_EQ(e.request.query, "ValidEnd=1796193630000&At=<timestamp>&Day=2026-12-02");
  EXPECT_EQ(e.body, R"({"a":"<timestamp>","b":"<timestamp>","c":"2026-12-02T06:40"})");
  EXPECT_EQ(e.response_headers, (HeaderList{{"Date", "<date>"}, {"keep-alive", "timeout=5, max=<n>"}}));
}

// SignatureDoesNotMatch's message quotes the server's string to sign, in
// which the query is encoded a second time: "%3D2026-12-02T07%253A59%253A21Z".
TEST(NormalizeExchange, IsoTimesEncodedTwiceInsideAStringToSign) {
  Exchange raw;
  raw.message = "string to sign: GET&%2F&Format%3DJSON%26Timestamp%3D2026-12-02T07%253A59%253A21Z%26Version%3D1";
  raw.body = "{\"Message\":\"" + raw.message + "\"}";
  Exchange e = NormalizeExchange(raw, {});
  EXPECT_EQ(e.message, "string to sign: GET&%2F&Format%3DJSON%26Timestamp%3D<timestamp>%26Version%3D1");
  EXPECT_EQ(e.body, "{\"Message\":\"" + e.message + "\"}");
}

TEST(NormalizeExchange, MasksApplyEverywhere) {
  CallSpec spec;
  spec.params = {{"MqttInstanceId", "post-cn-real/1"}, {"DeviceSn", "356217374433"}, {"CaSn", "0072690048"}};
  Exchange raw = SignedExchange(spec, RunVariation());
  Answer(&raw, 500, Envelope("MqttInstanceNotFound", "instance post-cn-real/1"), RunVariation());
  DocsOptions options;
  options.masks = {{"post-cn-real/1", "instance.platinum.id"}, {docs_test::kKeyId, "access_key_id"}};
  Exchange e = NormalizeExchange(raw, options);
  std::string all = Dump(e);
  EXPECT_EQ(all.find("post-cn-real"), std::string::npos) << all;
  EXPECT_EQ(all.find(docs_test::kKeyId), std::string::npos) << all;
  EXPECT_NE(e.request.query.find("MqttInstanceId=<instance.platinum.id>&"), std::string::npos) << e.request.query;
  EXPECT_NE(HeaderOf(e.request.headers, "authorization").find("Credential=<access_key_id>,"), std::string::npos);
  EXPECT_NE(e.body.find("instance <instance.platinum.id>"), std::string::npos);
}

TEST(NormalizeExchange, ShortValuesAndOtherHostsAreKept) {
  Exchange raw;
  raw.request.query = "Timestamp=bad&SignatureNonce=x&Action=A";
  raw.request.headers = {{"Host", "onsmqtt.cn-hangzhou.aliyuncs.com"}};
  raw.body = "bad x";
  Exchange e = NormalizeExchange(raw, {});
  EXPECT_EQ(e.request.query, raw.request.query) << "a scenario's malformed value is the same in every run";
  EXPECT_EQ(e.body, "bad x");
  EXPECT_EQ(e.request.headers, raw.request.headers);
}

TEST(NormalizeExchange, SecurityTokensStayRedacted) {
  for (SignatureScheme scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    CallSpec spec;
    spec.scheme = scheme;
    spec.security_token = docs_test::kToken;
    Exchange e = NormalizeExchange(Success(spec, RunVariation()), {});
    std::string all = Dump(e);
    EXPECT_EQ(all.find(docs_test::kToken), std::string::npos) << all;
    EXPECT_EQ(all.find(PercentEncode(docs_test::kToken)), std::string::npos) << all;
    EXPECT_EQ(all.find(docs_test::kSecret), std::string::npos) << all;
    EXPECT_NE(all.find("***"), std::string::npos);
  }
}

}  // namespace
}  // namespace onsmqtt::runner
