// --strict-requests (MockOptions::strict_requests) over real HTTP: each kind
// of violation is answered with the error that names it; a clean request is
// served; the step sits after authentication and throttling, before the
// service.
#include <gtest/gtest.h>

#include "contract/codes.h"
#include "contract/contract.h"
#include "contract/crypto.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

MockOptions Strict(AuthMode auth = AuthMode::kStrict) {
  MockOptions options;
  options.strict_requests = true;
  options.auth = auth;
  return options;
}

std::string ContractMessage(const char* code, const std::string& param = "") {
  return BuiltinContract().FindError(code)->FormatMessage(param);
}

void ExpectStrict(const Reply& r, const char* code, int status, const std::string& violations) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Code(), code) << r.body;
  EXPECT_EQ(r.json.value("Message", ""), ContractMessage(code) + " (strict requests: " + violations + ")");
  EXPECT_EQ(r.json.value("RequestId", ""), r.request_id_header);
}

TEST(StrictRequests, CleanRequestsAreServed) {
  MockFixture mock(Strict());
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto method : {HttpMethod::kGet, HttpMethod::kPost}) {
      for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
        if (method == HttpMethod::kGet && placement == ParamPlacement::kFormBody) continue;
        Call call = mock.Activate();
        call.scheme = scheme;
        call.method = method;
        call.placement = placement;
        call.format = "JSON";
        Reply r = mock.Send(call, mock.Key("owner"));
        EXPECT_EQ(r.status, 200) << SignatureSchemeName(scheme) << " " << HttpMethodName(method) << r.body;
      }
    }
  }
}

TEST(StrictRequests, ParameterViolationsAreParameterFieldCheckFailed) {
  MockFixture mock(Strict());
  Call misspelled = mock.Activate();
  misspelled.params[1].first = "DeviceSN";
  ExpectStrict(mock.Send(misspelled, mock.Key("owner")), codes::kParameterFieldCheckFailed, 400,
               "DeviceSn is required by ActiveDeviceCertificate and absent; "
               "DeviceSN is not a parameter of ActiveDeviceCertificate (did you mean DeviceSn?)");
  Call unknown = mock.Activate();
  unknown.params.emplace_back("RegionId", "cn-hangzhou");
  ExpectStrict(mock.Send(unknown, mock.Key("owner")), codes::kParameterFieldCheckFailed, 500,
               "RegionId is not a parameter of ActiveDeviceCertificate (its parameters: MqttInstanceId, DeviceSn, "
               "CaSn)");
  Call missing = mock.Activate();
  missing.params.pop_back();
  ExpectStrict(mock.Send(missing, mock.Key("owner")), codes::kParameterFieldCheckFailed, 400,
               "CaSn is required by ActiveDeviceCertificate and absent");
  Call longer = mock.Activate();
  longer.params[2].second = std::string(200, 'f');
  ExpectStrict(mock.Send(longer, mock.Key("owner")), codes::kParameterFieldCheckFailed, 500,
               "CaSn of ActiveDeviceCertificate is 200 bytes long; at most 128 are allowed");
  Call twice = mock.Activate();
  twice.params.push_back(twice.params[0]);
  ExpectStrict(mock.Send(twice, mock.Key("owner")), codes::kParameterFieldCheckFailed, 500,
               "MqttInstanceId is given 2 times to ActiveDeviceCertificate (the first one is read)");
}

// Under --auth strict a header violation breaks the signature, answered at
// step 5; under log (and off) it reaches the strict-requests step.
TEST(StrictRequests, HeaderViolationsAreIncompleteSignature) {
  MockFixture mock(Strict(AuthMode::kLog));
  HttpRequest unsigned_header = SignCall(mock.Activate(), mock.Key("owner"), SystemClock::Instance()).value();
  unsigned_header.headers.emplace_back("x-acs-trace", "1");
  Reply r = testing::SendWire(mock.client(), unsigned_header);
  EXPECT_EQ(r.Code(), codes::kIncompleteSignature) << r.body;
  EXPECT_EQ(r.status, 400);
  const std::string message = r.json.value("Message", "");
  EXPECT_EQ(message.rfind(ContractMessage(codes::kIncompleteSignature) +
                              " (strict requests: x-acs-trace is sent but not in the SignedHeaders of the request for "
                              "ActiveDeviceCertificate (",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("; the V3 signature of the request for ActiveDeviceCertificate does not verify"),
            std::string::npos)
      << message;

  Call form = mock.Activate();
  form.placement = ParamPlacement::kFormBody;
  HttpRequest bad_hash = SignCall(form, mock.Key("owner"), SystemClock::Instance()).value();
  bad_hash.SetHeader("x-acs-content-sha256", Sha256Hex("").value());
  Reply h = testing::SendWire(mock.client(), bad_hash);
  EXPECT_EQ(h.Code(), codes::kIncompleteSignature) << h.body;
  EXPECT_NE(h.json.value("Message", "")
                .find("(strict requests: x-acs-content-sha256 of the request for "
                      "ActiveDeviceCertificate is not the SHA-256 of its body"),
            std::string::npos)
      << h.body;

  MockFixture strict_auth(Strict());
  HttpRequest again = SignCall(strict_auth.Activate(), strict_auth.Key("owner"), SystemClock::Instance()).value();
  again.headers.emplace_back("x-acs-trace", "1");
  EXPECT_EQ(testing::SendWire(strict_auth.client(), again).Code(), codes::kSignatureDoesNotMatch);
}

TEST(StrictRequests, WrongSecretUnderLogAuthIsSignatureDoesNotMatch) {
  MockFixture mock(Strict(AuthMode::kLog));
  Credentials wrong = mock.Key("owner");
  wrong.access_key_secret = "not-the-secret";
  Call call = mock.Activate();
  call.scheme = SignatureScheme::kV1;
  ExpectStrict(mock.Send(call, wrong), codes::kSignatureDoesNotMatch, 400,
               "the V1 signature of the request for ActiveDeviceCertificate does not verify with the secret of "
               "access key " +
                   mock.Var("key.owner.id"));
}

TEST(StrictRequests, ShapeFailuresUnderOffAuthKeepTheirCodes) {
  MockFixture mock(Strict(AuthMode::kOff));
  HttpRequest no_nonce = SignCall(mock.Activate(), mock.Key("owner"), SystemClock::Instance()).value();
  std::erase_if(no_nonce.headers, [](const auto& h) { return ToLower(h.first) == "x-acs-signature-nonce"; });
  Reply r = testing::SendWire(mock.client(), no_nonce);
  EXPECT_EQ(r.Code(), codes::kMissingParameter) << r.body;
  EXPECT_EQ(r.json.value("Message", ""),
            ContractMessage(codes::kMissingParameter, "x-acs-signature-nonce") +
                " (strict requests: x-acs-signature-nonce is missing from the request for ActiveDeviceCertificate "
                "(every signed request carries it))");
  HttpRequest bad_date = SignCall(mock.Activate(), mock.Key("owner"), SystemClock::Instance()).value();
  bad_date.SetHeader("x-acs-date", "tomorrow");
  EXPECT_EQ(testing::SendWire(mock.client(), bad_date).Code(), codes::kInvalidTimeStampFormat);
}

// After authentication and throttling, before the service's own checks.
TEST(StrictRequests, PositionInThePipeline) {
  ManualClock clock(SystemClock::Instance().Now());
  MockOptions options = Strict();
  options.clock = &clock;
  options.rate_limit = 1;
  MockFixture mock(options);
  Call extra = mock.Activate();
  extra.params.emplace_back("Extra", "1");
  Credentials unknown = mock.Key("owner");
  unknown.access_key_id = "LTAI-nobody";
  EXPECT_EQ(mock.Send(extra, unknown, clock).Code(), codes::kInvalidAccessKeyIdNotFound);
  EXPECT_EQ(mock.Send(extra, mock.Key("other_account"), clock).Code(), codes::kParameterFieldCheckFailed)
      << "before the owner check (MqttOwnerCheckError)";
  EXPECT_EQ(mock.Send(mock.Activate(), mock.Key("owner"), clock).status, 200);
  EXPECT_EQ(mock.Send(extra, mock.Key("owner"), clock).Code(), codes::kThrottlingUser);
  nlohmann::json last = mock.server().Journal(1)["requests"][0];
  EXPECT_EQ(last.at("code"), codes::kThrottlingUser);
  EXPECT_EQ(last.at("violations").size(), 1u) << "journalled whatever the answer";
}

}  // namespace
}  // namespace onsmqtt::mock
