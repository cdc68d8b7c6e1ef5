// bench/mock.sh helper: writes N pre-signed ActiveDeviceCertificate
// requests as a Lua table of raw HTTP/1.1 requests for wrk to replay.
// Half are V3 (openapi-client's shape: POST, parameters in the query), half
// V1 (pop-core's shape: POST, everything in a form body). Timestamps are
// "now": replay within 15 minutes. Every request has its own nonce, but a
// wrk run replays each many times, so the mock must run with
// --no-nonce-check.
//
//   bench_sign_requests HOST:PORT KEY_ID KEY_SECRET INSTANCE DEVICE_SN CA_SN N > requests.lua
#include <cstdio>
#include <string>

#include "contract/clock.h"
#include "contract/signer.h"

namespace {

std::string LuaQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      (out += '\\') += c;
    else
      out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: bench_sign_requests HOST:PORT KEY_ID KEY_SECRET INSTANCE DEVICE_SN CA_SN N\n");
    return 2;
  }
  onsmqtt::Credentials creds{argv[2], argv[3], ""};
  const int n = std::atoi(argv[7]);
  std::printf("return {\n");
  for (int i = 0; i < n; ++i) {
    onsmqtt::Call call;
    call.action = "ActiveDeviceCertificate";
    call.version = "2020-04-20";
    call.params = {{"MqttInstanceId", argv[4]}, {"DeviceSn", argv[5]}, {"CaSn", argv[6]}};
    call.host = argv[1];
    call.method = onsmqtt::HttpMethod::kPost;
    call.scheme = i % 2 == 0 ? onsmqtt::SignatureScheme::kV3 : onsmqtt::SignatureScheme::kV1;
    call.placement = i % 2 == 0 ? onsmqtt::ParamPlacement::kQuery : onsmqtt::ParamPlacement::kFormBody;
    auto signed_call = onsmqtt::SignCall(call, creds, onsmqtt::SystemClock::Instance());
    if (!signed_call.ok()) return std::fprintf(stderr, "%s\n", signed_call.status().ToString().c_str()), 1;
    const onsmqtt::HttpRequest& r = *signed_call;
    std::string raw = r.method + " " + r.Target() + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [k, v] : r.headers) {
      raw += k + ": " + v + "\r\n";
      has_host = has_host || onsmqtt::ToLower(k) == "host";
    }
    if (!has_host) raw += std::string("Host: ") + argv[1] + "\r\n";
    raw += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    std::printf("  %s,\n", LuaQuote(raw).c_str());
  }
  std::printf("}\n");
  return 0;
}
