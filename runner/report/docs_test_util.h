#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "contract/clock.h"
#include "contract/signer.h"
#include "runner/result/redact.h"
#include "runner/result/result.h"

// Real exchanges for the documentation's tests: requests signed by the
// runner's signer with an injected clock, redacted by the runner's
// Redactor, answered as the mock answers.
namespace onsmqtt::runner::docs_test {

inline constexpr char kSecret[] = "q7Lm2Xv9Rk4Tn8Wp3Zs6Yb1Hc5Jd0F";
inline constexpr char kToken[] = "CAIS+StsToken/ForTheDocsTest==";
inline constexpr char kKeyId[] = "LTAI5tDocsTestKey01";

// What differs from one run to the next.
struct RunVariation {
  TimePoint when = TimePoint(std::chrono::seconds(1796193630));  // 2026-12-02T06:40:30Z
  std::string nonce = "3f1a5b7c9d2e4f60718293a4b5c6d7e8";
  std::string request_id = "020F6A43-19E6-4B6E-B846-44EB31DF0A11";
  int port = 38291;
  int keep_alive_max = 5;
  double seconds = 0.012;
};

struct CallSpec {
  std::string action = "ActiveDeviceCertificate";
  SignatureScheme scheme = SignatureScheme::kV3;
  ParamPlacement placement = ParamPlacement::kQuery;
  HttpMethod method = HttpMethod::kPost;
  std::string format = "JSON";
  ParamList params = {{"MqttInstanceId", "post-cn-7mz2d0001"}, {"DeviceSn", "356217374433"}, {"CaSn", "0072690048"}};
  std::string security_token;
};

// A signed, redacted request as the executor records it, without the answer.
inline Exchange SignedExchange(const CallSpec& spec, const RunVariation& v) {
  Call call;
  call.action = spec.action;
  call.version = "2020-04-20";
  call.params = spec.params;
  call.method = spec.method;
  call.scheme = spec.scheme;
  call.placement = spec.placement;
  call.host = "127.0.0.1:" + std::to_string(v.port);
  call.format = spec.format;
  call.nonce = v.nonce;
  ManualClock clock(v.when);
  HttpRequest req = SignCall(call, {kKeyId, kSecret, spec.security_token}, clock).value();
  Redactor redactor;
  redactor.AddSecret(kSecret);
  if (!spec.security_token.empty()) redactor.AddSecret(spec.security_token);
  Exchange e;
  e.request = redactor.RedactRequest(req);
  e.request_line = RequestLine(e.request);
  e.curl = CurlCommand(e.request, {"http://" + call.host, "", false});
  e.action = spec.action;
  e.scheme = SignatureSchemeName(spec.scheme);
  e.format = spec.format;
  e.generated = {{"nonce", v.nonce}, {"timestamp", FormatTimestamp(v.when)}};
  e.seconds = v.seconds;
  return e;
}

// The mock's answer: `body` with "{request_id}" replaced, the headers
// cpp-httplib and the mock send.
inline void Answer(Exchange* e, int status, std::string body, const RunVariation& v, const std::string& code = "",
                   const std::string& message = "") {
  for (size_t p; (p = body.find("{request_id}")) != std::string::npos;) body.replace(p, 12, v.request_id);
  bool xml = body.rfind("<", 0) == 0;
  e->status = status;
  e->code = code;
  e->message = message;
  e->request_id = v.request_id;
  e->body = body;
  e->response_headers = {{"Connection", "Keep-Alive"},
                         {"Content-Length", std::to_string(body.size())},
                         {"Content-Type", xml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8"},
                         {"Keep-Alive", "timeout=5, max=" + std::to_string(v.keep_alive_max)},
                         {"x-acs-request-id", v.request_id}};
}

// The mock's error envelope for `code` in cn-hangzhou.
inline std::string Envelope(const std::string& code, const std::string& message) {
  return R"({"RequestId":"{request_id}","HostId":"onsmqtt.cn-hangzhou.aliyuncs.com","Code":")" + code +
         R"(","Message":")" + message + R"(","Recommend":"https://api.aliyun.com/troubleshoot?q=)" + code +
         R"(&product=OnsMqtt&requestId={request_id}"})";
}

}  // namespace onsmqtt::runner::docs_test
