// onsmqtt-mock: flags -> MockOptions -> MockServer -> exit code.
//   0  stopped by SIGINT/SIGTERM
//   2  usage or fixture error (the positioned diagnostic is printed)
//   3  cannot bind or serve
#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "contract/contract.h"
#include "mock_server/mock_server.h"

namespace {

using onsmqtt::Status;
using onsmqtt::mock::AuthMode;
using onsmqtt::mock::MockOptions;

constexpr char kUsage[] = R"(usage: onsmqtt-mock --fixture FILE [options]

A contract-faithful mock of Alibaba Cloud ApsaraMQ for MQTT's certificate API
(OnsMqtt 2020-04-20). Point an SDK, curl or onsmqtt-runner at the printed URL.

  --fixture FILE            state to serve (required), e.g. fixtures/default.yaml
  --host ADDR               address to bind (default 127.0.0.1)
  --port N                  port (default 8080; 0 picks a free one)
  --tls-cert FILE           serve HTTPS with this PEM certificate ...
  --tls-key FILE            ... and this PEM key (both required for TLS)
  --auth strict|log|off     strict: answer gateway errors (default); log:
                            verify, log what would fail, let it pass; off: no
                            verification (the AccessKeyId still picks the caller)
  --status-profile NAME     documented (default) or a profile of the contract
                            file (adjusted: the announced status changes)
  --status CODE=STATUS      HTTP status for an error code (repeatable), e.g.
                            --status Throttling.User=429
  --rate-limit N            calls per account and operation in any one-second
                            window (default: the contract's 500)
  --non-platinum-code CODE  error for operations on non-Platinum instances
                            (default ApiNotSupport)
  --default-region R        region when Host is not onsmqtt.<region>.aliyuncs.com
                            (default cn-hangzhou)
  --no-nonce-check          do not answer SignatureNonceUsed for replays
  --max-connections N       connections open at once (default 10000; beyond:
                            503 and closed; capped by the open-file limit)
  --admin-token T           require "Authorization: Bearer T" on /__admin/
  --admin-remote            let non-loopback peers use /__admin/
  --no-admin                disable /__admin/ entirely
  --quiet                   no per-request log lines on stderr
  --help                    this text

Exit status: 0 after SIGINT/SIGTERM, 2 usage or fixture error, 3 cannot bind.
Details, curl and SDK examples: mock_server/README.md.
)";

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& message) {
  std::fprintf(stderr, "onsmqtt-mock: %s\nTry 'onsmqtt-mock --help'.\n", message.c_str());
  return 2;
}

bool ParseInt(const std::string& s, int min, int max, int* out) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  long v = std::strtol(s.c_str(), nullptr, 10);
  if (v < min || v > max) return false;
  *out = static_cast<int>(v);
  return true;
}

// Returns "" on success, else the problem.
std::string ApplyFlag(const std::string& flag, const std::string& value, MockOptions* o, std::string* fixture) {
  int n = 0;
  if (flag == "--fixture") {
    *fixture = value;
  } else if (flag == "--host") {
    o->host = value;
  } else if (flag == "--port") {
    if (!ParseInt(value, 0, 65535, &o->port)) return "--port needs a number in 0..65535, got \"" + value + "\"";
  } else if (flag == "--tls-cert") {
    o->tls_cert_file = value;
  } else if (flag == "--tls-key") {
    o->tls_key_file = value;
  } else if (flag == "--auth") {
    if (value == "strict")
      o->auth = AuthMode::kStrict;
    else if (value == "log")
      o->auth = AuthMode::kLog;
    else if (value == "off")
      o->auth = AuthMode::kOff;
    else
      return "--auth must be strict, log or off, got \"" + value + "\"";
  } else if (flag == "--status-profile") {
    o->status_profile = value;
  } else if (flag == "--status") {
    size_t eq = value.find('=');
    if (eq == std::string::npos || !ParseInt(value.substr(eq + 1), 100, 599, &n)) {
      return "--status needs CODE=STATUS with STATUS in 100..599, got \"" + value + "\"";
    }
    o->status_overrides[value.substr(0, eq)] = n;
  } else if (flag == "--rate-limit") {
    if (!ParseInt(value, 1, 1'000'000'000, &o->rate_limit))
      return "--rate-limit needs a positive number, got \"" + value + "\"";
  } else if (flag == "--non-platinum-code") {
    if (onsmqtt::BuiltinContract().FindError(value) == nullptr) {
      return "--non-platinum-code: \"" + value + "\" is not an error code of the contract";
    }
    o->non_platinum_code = value;
  } else if (flag == "--default-region") {
    o->default_region = value;
  } else if (flag == "--max-connections") {
    if (!ParseInt(value, 1, 1'000'000, &o->max_connections))
      return "--max-connections needs a number in 1..1000000, got \"" + value + "\"";
  } else if (flag == "--admin-token") {
    o->admin_token = value;
  } else {
    return "unknown option " + flag;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each of up to 8 x cores threads its own heap arena; the
  // mock's workers then keep up to 16 fragmented heaps on 2 cores and RSS
  // creeps for minutes under load (bench/soak.sh: 64 -> 91 MB from minute
  // 2 to 10). Two arenas hold it flat (35 -> 36 MB).
  mallopt(M_ARENA_MAX, 2);
  MockOptions options;
  options.port = 8080;
  std::string fixture;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--no-nonce-check") {
      options.check_nonce_replay = false;
      continue;
    }
    if (a == "--admin-remote") {
      options.admin_remote = true;
      continue;
    }
    if (a == "--no-admin") {
      options.admin_enabled = false;
      continue;
    }
    if (a == "--quiet") {
      options.quiet = true;
      continue;
    }
    std::string flag = a, value;
    if (size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Usage(a.rfind("--", 0) == 0 ? a + " needs a value" : "unexpected argument " + a);
    }
    if (std::string problem = ApplyFlag(flag, value, &options, &fixture); !problem.empty()) return Usage(problem);
  }
  if (fixture.empty()) return Usage("--fixture FILE is required (e.g. --fixture fixtures/default.yaml)");

  onsmqtt::mock::MockServer server(options);
  if (Status s = server.LoadFixture(fixture); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  onsmqtt::StatusOr<int> port = server.Start();
  if (!port.ok()) {
    std::fprintf(stderr, "onsmqtt-mock: %s\n", port.status().ToString().c_str());
    return port.status().code() == Status::Code::kUnavailable ? 3 : 2;
  }
  std::printf("onsmqtt-mock listening on %s://%s:%d/\n", server.tls() ? "https" : "http", options.host.c_str(), *port);
  std::fflush(stdout);
  // Signals only set a flag; the main thread polls it (a handler may not
  // call Stop()).
  while (!g_stop) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  server.Stop();
  return 0;
}
