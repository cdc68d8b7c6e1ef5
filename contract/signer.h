#pragma once

#include <optional>
#include <string>

#include "contract/clock.h"
#include "contract/contract.h"
#include "contract/http_message.h"
#include "contract/percent.h"
#include "contract/status.h"

// Turns an operation call plus credentials into the exact HTTP request an
// Alibaba Cloud SDK would send, signed with either scheme.
//
//   Call call;
//   call.action = "ActiveDeviceCertificate";
//   call.version = "2020-04-20";
//   call.params = {{"MqttInstanceId", id}, {"DeviceSn", sn}, {"CaSn", ca}};
//   call.host = "127.0.0.1:8080";
//   StatusOr<HttpRequest> req = SignCall(call, {"LTAI...", "secret"}, SystemClock::Instance());
//   // send req->method, req->Target(), req->headers, req->body
//
// Signing fails (kInternal) only when OpenSSL cannot hash (crypto.h).
namespace onsmqtt {

enum class SignatureScheme { kV1, kV3 };
enum class ParamPlacement { kQuery, kFormBody };

const char* SignatureSchemeName(SignatureScheme s);  // "v1", "v3"

struct Credentials {
  std::string access_key_id;
  std::string access_key_secret;
  std::string security_token;  // empty: none
};

struct Call {
  std::string action;
  std::string version;
  ParamList params;  // business parameters, sent in this order
  HttpMethod method = HttpMethod::kPost;
  SignatureScheme scheme = SignatureScheme::kV3;
  // Where business parameters (and, for V1, the common ones) travel. V3
  // always signs the query; a form body is covered by x-acs-content-sha256.
  ParamPlacement placement = ParamPlacement::kQuery;
  std::string host;                    // the Host header: "onsmqtt.cn-hangzhou.aliyuncs.com"
  std::string format;                  // "JSON"/"XML"; empty: V1 sends JSON, V3 sends none
  std::string nonce;                   // empty: a random one
  std::optional<TimePoint> timestamp;  // empty: clock.Now()
};

// REQUIRES: call.action, call.version and call.host are set.
StatusOr<HttpRequest> SignCall(const Call& call, const Credentials& creds, const Clock& clock);

// The pieces a signature is computed from, exposed for known-answer tests
// and for debugging output.
// V1: "METHOD&%2F&" + PercentEncode(CanonicalQueryString(params)).
std::string V1StringToSign(const std::string& method, const ParamList& params_without_signature);
// V1 signature: base64(HMAC-SHA1(secret + "&", string_to_sign)).
StatusOr<std::string> V1Signature(const std::string& secret, const std::string& string_to_sign);

// V3 canonical request over the given (lowercase-named) signed headers.
std::string V3CanonicalRequest(const std::string& method, const std::string& path, const ParamList& query,
                               const HeaderList& signed_headers, const std::string& hashed_payload);
// "ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request)).
StatusOr<std::string> V3StringToSign(const std::string& canonical_request);
StatusOr<std::string> V3Signature(const std::string& secret, const std::string& string_to_sign);

inline constexpr char kV3Algorithm[] = "ACS3-HMAC-SHA256";

}  // namespace onsmqtt
