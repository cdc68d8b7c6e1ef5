// One parse of a request (wire_params.h) and the one reading built on it
// (ReadRequest in verifier.h): strict when the shape is right, lenient
// otherwise, from the same parameters.
#include "contract/wire_params.h"

#include <gtest/gtest.h>

#include "contract/codes.h"
#include "contract/signer.h"
#include "contract/verifier.h"

namespace onsmqtt {
namespace {

HttpRequest Wire(std::string query, std::string content_type, std::string body) {
  HttpRequest w;
  w.method = "POST";
  w.query = std::move(query);
  if (!content_type.empty()) w.headers.emplace_back("Content-Type", std::move(content_type));
  w.body = std::move(body);
  return w;
}

TEST(WireParams, QueryAndFormBodyDecodedInWireOrder) {
  WireParams p = ParseWireParams(Wire("b=2&a=x%20y&a=0", "Application/X-WWW-Form-Urlencoded; charset=utf-8", "c=1+2"));
  EXPECT_EQ(p.query, (ParamList{{"b", "2"}, {"a", "x y"}, {"a", "0"}}));
  EXPECT_TRUE(p.is_form);
  EXPECT_EQ(p.form, (ParamList{{"c", "1 2"}}));
  WireParams json = ParseWireParams(Wire("a=1", "application/json", "c=1"));
  EXPECT_FALSE(json.is_form);
  EXPECT_TRUE(json.form.empty()) << "a body is parameters only when it is a form";
  EXPECT_TRUE(ParseWireParams(Wire("", "", "c=1")).form.empty());
}

TEST(WireParams, FindAndTakeTheFirstOfAName) {
  ParamList params = {{"Sn", ""}, {"sn", "lower"}, {"Sn", "second"}};
  ASSERT_NE(FindParam(params, "Sn"), nullptr);
  EXPECT_EQ(*FindParam(params, "Sn"), "") << "present but empty is not absent";
  EXPECT_EQ(FindParam(params, "SN"), nullptr) << "names are case-sensitive";
  std::string value = "unchanged";
  EXPECT_FALSE(TakeParam(&params, "Missing", &value));
  EXPECT_EQ(value, "unchanged");
  EXPECT_TRUE(TakeParam(&params, "Sn", &value));
  EXPECT_EQ(value, "");
  EXPECT_EQ(params, (ParamList{{"sn", "lower"}, {"Sn", "second"}}));
}

Call Activate(SignatureScheme scheme, ParamPlacement placement) {
  Call call;
  call.action = "ActiveDeviceCertificate";
  call.version = "2020-04-20";
  call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
  call.params = {{"MqttInstanceId", "i-1"}, {"DeviceSn", "d 1"}, {"CaSn", "c*1"}};
  call.scheme = scheme;
  call.placement = placement;
  return call;
}

const Credentials kKey{"LTAI-read", "secret", ""};

TEST(ReadRequest, SignedRequestsAreReadStrictly) {
  ManualClock clock(*ParseTimestamp("2026-01-01T00:00:00Z"));
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
      SCOPED_TRACE(std::string(SignatureSchemeName(scheme)) + (placement == ParamPlacement::kQuery ? " q" : " f"));
      HttpRequest wire = SignCall(Activate(scheme, placement), kKey, clock).value();
      RequestReading r = ReadRequest(wire);
      ASSERT_TRUE(r.shape.ok()) << r.shape.code() << " " << r.shape.detail;
      ParsedRequest alone;
      ASSERT_TRUE(ParseSignedRequest(wire, &alone).ok());
      EXPECT_EQ(r.parsed.params, alone.params);
      EXPECT_EQ(r.parsed.signed_params, alone.signed_params);
      EXPECT_EQ(r.parsed.params, Activate(scheme, placement).params);
      EXPECT_EQ(r.parsed.access_key_id, kKey.access_key_id);
      EXPECT_TRUE(VerifySignature(wire, r.parsed, kKey.access_key_secret).ok());
    }
  }
}

TEST(ReadRequest, AWrongShapeIsReadLeniently) {
  ManualClock clock(*ParseTimestamp("2026-01-01T00:00:00Z"));
  HttpRequest v1 = SignCall(Activate(SignatureScheme::kV1, ParamPlacement::kFormBody), kKey, clock).value();
  ParamList form = ParseQueryString(v1.body);
  ASSERT_EQ(std::erase_if(form, [](const Param& p) { return p.first == "SignatureNonce"; }), 1u);
  form.insert(form.begin(), {"Format", "XML"});  // before the JSON the signer sent
  v1.body = EncodeParams(form);
  RequestReading r = ReadRequest(v1);
  EXPECT_EQ(r.shape.error, AuthError::kMissingParameter);
  EXPECT_EQ(r.shape.detail, "SignatureNonce");
  EXPECT_EQ(r.parsed.action, "ActiveDeviceCertificate");
  EXPECT_EQ(r.parsed.access_key_id, kKey.access_key_id);
  EXPECT_EQ(r.parsed.format, "XML");
  ASSERT_NE(FindParam(r.parsed.params, "MqttInstanceId"), nullptr);
  EXPECT_EQ(FindParam(r.parsed.params, "Signature"), nullptr) << "signature parameters are not business ones";

  HttpRequest v3 = SignCall(Activate(SignatureScheme::kV3, ParamPlacement::kQuery), kKey, clock).value();
  std::erase_if(v3.headers, [](const auto& h) { return EqualsIgnoreCase(h.first, "x-acs-date"); });
  r = ReadRequest(v3);
  EXPECT_EQ(r.shape.code(), std::string(codes::kMissingParameter));
  EXPECT_EQ(r.parsed.scheme, SignatureScheme::kV3);
  EXPECT_EQ(r.parsed.action, "ActiveDeviceCertificate") << "from x-acs-action";
  EXPECT_EQ(r.parsed.version, "2020-04-20");
  EXPECT_EQ(r.parsed.access_key_id, kKey.access_key_id) << "from the Authorization header";
  EXPECT_EQ(r.parsed.format, "JSON");
  EXPECT_EQ(r.parsed.params, Activate(SignatureScheme::kV3, ParamPlacement::kQuery).params);
}

}  // namespace
}  // namespace onsmqtt
