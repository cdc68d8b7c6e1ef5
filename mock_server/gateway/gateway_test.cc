// The whole mock over real HTTP on port 0, with requests signed by
// contract/signer.h against fixtures/default.yaml: every gateway error, the
// service errors, both schemes, GET and POST, query and form body, JSON and
// XML, the envelope and the request id header.
#include "mock_server/gateway/gateway.h"

#include <gtest/gtest.h>

#include "contract/codes.h"
#include "contract/contract.h"
#include "contract/crypto.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

const Contract& C() { return BuiltinContract(); }

// Every field of the error envelope, exactly.
void ExpectEnvelope(const Reply& r, const std::string& code, int status, const std::string& region = "cn-hangzhou") {
  ASSERT_TRUE(r.answered);
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("Code", ""), code) << r.body;
  const std::string id = r.json.value("RequestId", "");
  EXPECT_TRUE(IsRequestIdFormat(id)) << id;
  EXPECT_EQ(r.request_id_header, id);
  EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt." + region + ".aliyuncs.com");
  EXPECT_EQ(r.json.value("Recommend", ""),
            "https://api.aliyun.com/troubleshoot?q=" + code + "&product=OnsMqtt&requestId=" + id);
  const ErrorSpec* spec = C().FindError(code);
  ASSERT_NE(spec, nullptr) << code;
  EXPECT_EQ(r.json.value("Message", "").rfind(spec->message.substr(0, spec->message.find("{param}")), 0), 0u)
      << r.json.value("Message", "");
  EXPECT_EQ(r.content_type, "application/json;charset=utf-8");
}

struct Shape {
  SignatureScheme scheme;
  HttpMethod method;
  ParamPlacement placement;
  std::string format;
};

std::string Describe(const Shape& s) {
  return std::string(SignatureSchemeName(s.scheme)) + " " + HttpMethodName(s.method) +
         (s.placement == ParamPlacement::kQuery ? " query " : " form ") + (s.format.empty() ? "default" : s.format);
}

std::vector<Shape> AllShapes() {
  std::vector<Shape> shapes;
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto method : {HttpMethod::kGet, HttpMethod::kPost}) {
      for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
        if (method == HttpMethod::kGet && placement == ParamPlacement::kFormBody) continue;
        for (const char* format : {"", "JSON", "XML"}) shapes.push_back({scheme, method, placement, format});
      }
    }
  }
  return shapes;
}

TEST(GatewayHttpTest, SuccessInEveryShape) {
  MockFixture mock;
  for (const Shape& s : AllShapes()) {
    Call call = mock.Activate();
    call.scheme = s.scheme;
    call.method = s.method;
    call.placement = s.placement;
    call.format = s.format;
    Reply r = mock.Send(call, mock.Key("owner"));
    SCOPED_TRACE(Describe(s));
    ASSERT_TRUE(r.answered);
    EXPECT_EQ(r.status, 200) << r.body;
    if (s.format == "XML") {
      EXPECT_EQ(r.content_type, "text/xml;charset=utf-8");
      EXPECT_NE(r.body.find("<ActiveDeviceCertificateResponse><RequestId>" + r.request_id_header + "</RequestId>"),
                std::string::npos)
          << r.body;
      EXPECT_NE(r.body.find("<DeviceSn>" + mock.Var("device.active.sn") + "</DeviceSn>"), std::string::npos);
    } else {
      EXPECT_EQ(r.content_type, "application/json;charset=utf-8");
      EXPECT_EQ(r.json.value("RequestId", ""), r.request_id_header);
      EXPECT_TRUE(IsRequestIdFormat(r.request_id_header));
      EXPECT_EQ(r.json.value("DeviceSn", ""), mock.Var("device.active.sn"));
    }
  }
}

TEST(GatewayHttpTest, XmlErrorHasErrorRoot) {
  MockFixture mock;
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Call call = mock.Activate();
    call.scheme = scheme;
    call.format = "XML";
    Reply r = mock.Send(call, mock.Key("other_account"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, "text/xml;charset=utf-8");
    EXPECT_NE(r.body.find("<Error><RequestId>" + r.request_id_header + "</RequestId><HostId>"), std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("<Code>MqttOwnerCheckError</Code>"), std::string::npos);
    EXPECT_NE(r.body.find("&amp;product=OnsMqtt&amp;requestId="), std::string::npos) << "Recommend is escaped";
  }
}

// A signed request, then a change to its wire form.
struct WireCase {
  const char* name;
  SignatureScheme scheme;
  std::function<void(HttpRequest*)> mutate;
  const char* code;
  int status;
  const char* message_has;
};

void RemoveQueryParam(HttpRequest* w, const std::string& name) {
  ParamList kept;
  for (auto& p : ParseQueryString(w->query)) {
    if (p.first != name) kept.push_back(p);
  }
  w->query = EncodeParams(kept);
}

void SetQueryParam(HttpRequest* w, const std::string& name, const std::string& value) {
  ParamList params = ParseQueryString(w->query);
  for (auto& p : params) {
    if (p.first == name) p.second = value;
  }
  w->query = EncodeParams(params);
}

void RemoveHeader(HttpRequest* w, const std::string& name) {
  std::erase_if(w->headers, [&](const auto& h) { return ToLower(h.first) == name; });
}

TEST(GatewayHttpTest, ShapeErrorsFromTheWire) {
  const WireCase cases[] = {
      {"v1 no Signature", SignatureScheme::kV1, [](HttpRequest* w) { RemoveQueryParam(w, "Signature"); },
       codes::kIncompleteSignature, 400, ""},
      {"v1 no SignatureNonce", SignatureScheme::kV1, [](HttpRequest* w) { RemoveQueryParam(w, "SignatureNonce"); },
       codes::kMissingParameter, 400, "\"SignatureNonce\""},
      {"v1 no AccessKeyId nor Signature", SignatureScheme::kV1,
       [](HttpRequest* w) { RemoveQueryParam(w, "Signature"), RemoveQueryParam(w, "AccessKeyId"); },
       codes::kMissingParameter, 400, "\"AccessKeyId\""},
      {"v1 bad Timestamp", SignatureScheme::kV1, [](HttpRequest* w) { SetQueryParam(w, "Timestamp", "27/11/2026"); },
       codes::kInvalidTimeStampFormat, 400, ""},
      {"v3 no Authorization", SignatureScheme::kV3, [](HttpRequest* w) { RemoveHeader(w, "authorization"); },
       codes::kIncompleteSignature, 400, ""},
      {"v3 malformed Authorization", SignatureScheme::kV3,
       [](HttpRequest* w) { w->SetHeader("Authorization", "ACS3-HMAC-SHA256 Signature=abc"); },
       codes::kIncompleteSignature, 400, ""},
      {"v3 no x-acs-date", SignatureScheme::kV3, [](HttpRequest* w) { RemoveHeader(w, "x-acs-date"); },
       codes::kMissingParameter, 400, "\"x-acs-date\""},
      {"v3 bad x-acs-date", SignatureScheme::kV3, [](HttpRequest* w) { w->SetHeader("x-acs-date", "tomorrow"); },
       codes::kInvalidTimeStampFormat, 400, ""},
      {"v3 path other than /", SignatureScheme::kV3, [](HttpRequest* w) { w->path = "/v1/certificates"; },
       codes::kInvalidActionNotFound, 404, ""},
      {"v1 PUT", SignatureScheme::kV1, [](HttpRequest* w) { w->method = "PUT"; }, codes::kInvalidActionNotFound, 404,
       ""},
  };
  MockFixture mock;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Call call = mock.Activate();
    call.scheme = c.scheme;
    call.method = HttpMethod::kGet;
    HttpRequest wire = SignCall(call, mock.Key("owner"), SystemClock::Instance()).value();
    c.mutate(&wire);
    Reply r = testing::SendWire(mock.client(), wire);
    ExpectEnvelope(r, c.code, c.status);
    EXPECT_NE(r.json.value("Message", "").find(c.message_has), std::string::npos) << r.body;
  }
}

TEST(GatewayHttpTest, KeyAndRoutingErrors) {
  MockFixture mock;
  struct Case {
    const char* name;
    std::function<void(Call*, Credentials*)> change;
    const char* code;
    int status;
  };
  const Case cases[] = {
      {"unknown key", [](Call*, Credentials* k) { k->access_key_id = "LTAI-unknown"; },
       codes::kInvalidAccessKeyIdNotFound, 404},
      {"disabled key", [&](Call*, Credentials* k) { *k = mock.Key("disabled"); }, codes::kInvalidAccessKeyIdInactive,
       400},
      {"unknown version", [](Call* c, Credentials*) { c->version = "2019-01-01"; }, codes::kInvalidVersion, 400},
      {"unknown action", [](Call* c, Credentials*) { c->action = "DescribeRegions"; }, codes::kInvalidActionNotFound,
       404},
  };
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(c.name) + " " + SignatureSchemeName(scheme));
      Call call = mock.Activate();
      call.scheme = scheme;
      Credentials key = mock.Key("owner");
      c.change(&call, &key);
      ExpectEnvelope(mock.Send(call, key), c.code, c.status);
    }
  }
}

TEST(GatewayHttpTest, SignatureMismatchCarriesTheServerStringToSign) {
  MockFixture mock;
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto method : {HttpMethod::kGet, HttpMethod::kPost}) {
      SCOPED_TRACE(std::string(SignatureSchemeName(scheme)) + " " + HttpMethodName(method));
      Call call = mock.Activate();
      call.scheme = scheme;
      call.method = method;
      call.nonce = RandomHex(16).value();
      call.timestamp = SystemClock::Instance().Now();
      Credentials wrong = mock.Key("owner");
      wrong.access_key_secret = "not-the-secret";
      Reply r = mock.Send(call, wrong);
      ExpectEnvelope(r, codes::kSignatureDoesNotMatch, 400);
      // What the client signed is what the server would sign: same STS.
      HttpRequest wire = SignCall(call, mock.Key("owner"), SystemClock::Instance()).value();
      ParsedRequest parsed;
      ASSERT_TRUE(ParseSignedRequest(wire, &parsed).ok());
      AuthOutcome o = VerifySignature(wire, parsed, "definitely-wrong");
      ASSERT_FALSE(o.string_to_sign.empty());
      EXPECT_EQ(r.json.value("Message", ""), C().FindError(codes::kSignatureDoesNotMatch)->message +
                                                 " server string to sign is:" + o.string_to_sign);
      EXPECT_EQ(r.body.find(mock.Var("key.owner.secret")), std::string::npos);
    }
  }
}

TEST(GatewayHttpTest, TimestampWindowWithAnInjectedClock) {
  const TimePoint now = TimePoint(std::chrono::seconds(1'900'000'000));
  ManualClock clock(now);
  MockOptions options;
  options.clock = &clock;
  MockFixture mock(options);
  struct Case {
    std::chrono::seconds offset;
    int status;
  };
  using std::chrono::minutes;
  using std::chrono::seconds;
  const Case cases[] = {{minutes(-16), 400}, {minutes(16), 400},   {minutes(-15), 200},
                        {minutes(15), 200},  {seconds(-901), 400}, {seconds(0), 200}};
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(SignatureSchemeName(scheme)) + " offset " + std::to_string(c.offset.count()));
      Call call = mock.Activate();
      call.scheme = scheme;
      call.timestamp = now + c.offset;
      Reply r = mock.Send(call, mock.Key("owner"), clock);
      if (c.status == 200) {
        EXPECT_EQ(r.status, 200) << r.body;
      } else {
        ExpectEnvelope(r, codes::kInvalidTimeStampExpired, 400);
      }
    }
  }
}

TEST(GatewayHttpTest, NonceReplayIsRefusedPerKeyWithinTheWindow) {
  MockFixture mock;
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Call call = mock.Activate();
    call.scheme = scheme;
    call.nonce = "nonce-" + RandomHex(8).value();
    EXPECT_EQ(mock.Send(call, mock.Key("owner")).status, 200);
    ExpectEnvelope(mock.Send(call, mock.Key("owner")), codes::kSignatureNonceUsed, 400);
    EXPECT_EQ(mock.Send(call, mock.Key("ram_user_admin")).status, 200) << "another key may use the same nonce";
  }
  MockOptions no_check;
  no_check.check_nonce_replay = false;
  MockFixture relaxed(no_check);
  Call call = relaxed.Activate();
  call.nonce = "fixed";
  EXPECT_EQ(relaxed.Send(call, relaxed.Key("owner")).status, 200);
  EXPECT_EQ(relaxed.Send(call, relaxed.Key("owner")).status, 200);
}

TEST(GatewayHttpTest, BurstOfTwiceTheLimitGivesExactlyTheLimit) {
  ManualClock clock(SystemClock::Instance().Now());
  MockOptions options;
  options.clock = &clock;
  options.rate_limit = 25;
  MockFixture mock(options);
  int ok = 0, throttled = 0, other = 0;
  for (int i = 0; i < 50; ++i) {
    Call call = mock.Activate();
    call.scheme = i % 2 == 0 ? SignatureScheme::kV1 : SignatureScheme::kV3;
    Reply r = mock.Send(call, mock.Key("owner"), clock);
    ASSERT_TRUE(r.answered) << "request " << i;
    if (r.status == 200) {
      ++ok;
    } else if (r.Code() == codes::kThrottlingUser) {
      ExpectEnvelope(r, codes::kThrottlingUser, 400);
      ++throttled;
    } else {
      ++other;
    }
  }
  EXPECT_EQ(ok, 25);
  EXPECT_EQ(throttled, 25);
  EXPECT_EQ(other, 0);
  // Another operation and another account have their own windows; a
  // failed authentication does not count.
  Call get = mock.Activate();
  get.action = "GetDeviceCertificate";
  EXPECT_EQ(mock.Send(get, mock.Key("owner"), clock).status, 200);
  EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("other_account"), clock).Code(), codes::kMqttOwnerCheckError);
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("owner"), clock).status, 200) << "the window moved on";
}

TEST(GatewayHttpTest, ThrottlingStatusIsConfigurable) {
  ManualClock clock(SystemClock::Instance().Now());
  MockOptions options;
  options.clock = &clock;
  options.rate_limit = 1;
  options.status_overrides[codes::kThrottlingUser] = 429;
  MockFixture mock(options);
  EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("owner"), clock).status, 200);
  ExpectEnvelope(mock.Send(mock.Activate(), mock.Key("owner"), clock), codes::kThrottlingUser, 429);
}

TEST(GatewayHttpTest, RegionComesFromTheHostHeader) {
  MockFixture mock;
  Call call = mock.Activate();
  call.params[0].second = mock.Var("instance.other_region.id");
  call.host = "onsmqtt.cn-shanghai.aliyuncs.com:8443";
  // In cn-shanghai the platinum instance of cn-hangzhou does not exist ...
  Call here = mock.Activate();
  here.host = call.host;
  ExpectEnvelope(mock.Send(here, mock.Key("owner")), codes::kMqttInstanceNotFound, 500, "cn-shanghai");
  // ... and on the default host, the cn-shanghai instance does not.
  Call there = mock.Activate();
  there.params[0].second = mock.Var("instance.other_region.id");
  ExpectEnvelope(mock.Send(there, mock.Key("owner")), codes::kMqttInstanceNotFound, 500);
  there.host = "onsmqtt-vpc.cn-shanghai.aliyuncs.com";
  Reply r = mock.Send(there, mock.Key("owner"));
  EXPECT_NE(r.Code(), codes::kMqttInstanceNotFound) << r.body;
}

}  // namespace
}  // namespace onsmqtt::mock
