// Makes the generated part of the seed corpora (fuzz/README.md); not a
// fuzz target. Deterministic: fixed nonces and a fixed time (2026-01-01),
// the time the verifier target's clock shows.
//
//   fuzz_seeds requests OUT_DIR              signed raw requests (verifier, gateway)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "contract/clock.h"
#include "contract/signer.h"
#include "contract/yaml_tree.h"

namespace {

namespace fs = std::filesystem;
using namespace onsmqtt;

bool Write(const fs::path& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

std::string Raw(const HttpRequest& r) {
  std::string raw = r.method + " " + r.Target() + " HTTP/1.1\r\n";
  for (const auto& [k, v] : r.headers) raw += k + ": " + v + "\r\n";
  return raw + "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
}

int Requests(const fs::path& out) {
  // fixtures/default.yaml's owner key (fake test credentials).
  const Credentials owner{"LTAI5tQ8mV3nR7kP2xW9bJ4e", "q7Lm2Xv9Rk4Tn8Wp3Zs6Yb1Hc5Jd0F", ""};
  const Credentials with_token{owner.access_key_id, owner.access_key_secret, "CAIS-fake-sts-token"};
  const ManualClock clock(TimePoint(std::chrono::seconds(1767225600)));
  struct Seed {
    const char* name;
    SignatureScheme scheme;
    ParamPlacement placement;
    HttpMethod method;
    const char* format;
    const Credentials* creds;
  };
  const Seed seeds[] = {
      {"v3-query-post", SignatureScheme::kV3, ParamPlacement::kQuery, HttpMethod::kPost, "", &owner},
      {"v3-form-post", SignatureScheme::kV3, ParamPlacement::kFormBody, HttpMethod::kPost, "", &owner},
      {"v3-get-xml", SignatureScheme::kV3, ParamPlacement::kQuery, HttpMethod::kGet, "XML", &owner},
      {"v3-token", SignatureScheme::kV3, ParamPlacement::kQuery, HttpMethod::kPost, "", &with_token},
      {"v1-form-post", SignatureScheme::kV1, ParamPlacement::kFormBody, HttpMethod::kPost, "JSON", &owner},
      {"v1-query-get", SignatureScheme::kV1, ParamPlacement::kQuery, HttpMethod::kGet, "XML", &owner},
      {"v1-token", SignatureScheme::kV1, ParamPlacement::kQuery, HttpMethod::kPost, "", &with_token},
  };
  int n = 0;
  for (const Seed& s : seeds) {
    Call call;
    call.action = "ActiveDeviceCertificate";
    call.version = "2020-04-20";
    call.params = {{"MqttInstanceId", "post-cn-platinum01"},
                   {"DeviceSn", "3d0e0a1c5f7b9d2e4a6c8e0f1a3b5c7d"},
                   {"CaSn", "1a2b3c*!'() ~"}};
    call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
    call.scheme = s.scheme;
    call.placement = s.placement;
    call.method = s.method;
    call.format = s.format;
    call.nonce = std::string("0123456789abcdef") + s.name;
    StatusOr<HttpRequest> req = SignCall(call, *s.creds, clock);
    if (!req.ok()) {
      std::fprintf(stderr, "fuzz_seeds: %s\n", req.status().ToString().c_str());
      return 1;
    }
    if (!Write(out / (std::string(s.name) + ".http"), Raw(*req))) return 1;
    ++n;
  }
  std::printf("%d requests in %s\n", n, out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "requests") return Requests(argv[2]);
  std::fprintf(stderr, "usage: fuzz_seeds requests OUT_DIR\n");
  return 2;
}
