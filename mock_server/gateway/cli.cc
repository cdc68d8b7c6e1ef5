#include "mock_server/gateway/cli.h"

#include <cstdlib>
#include <optional>
#include <ostream>

#include "contract/command_line.h"
#include "contract/contract.h"

#ifndef ONSMQTT_VERSION
#define ONSMQTT_VERSION "0.0.0"
#endif

namespace onsmqtt::mock {
namespace {

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
                            and the fixture sets no default_region
                            (default cn-hangzhou)
  --no-nonce-check          do not answer SignatureNonceUsed for replays
  --strict-requests         answer a request with a violation (an unknown
                            parameter, an unsigned x-acs-* header, ...: the
                            journal's "violations") with an error naming it
  --max-connections N       connections open at once (default 10000; beyond:
                            503 and closed; capped by the open-file limit)
  --mqtt-port N             also serve devices: MQTT over mutual TLS on port N
                            (0 picks a free one; default: no MQTT listener)
  --mqtt-tls-cert FILE      the MQTT server's PEM certificate (and chain) ...
  --mqtt-tls-key FILE       ... and key (default: the fixture's mqtt section)
  --mqtt-instance ID        instance of a connect whose TLS server name is not
                            <instance-id>.mqtt.aliyuncs.com (default: the
                            fixture's first Platinum instance)
  --mqtt-refusal FORM       how a device is refused: connack (default; 3.1.1
                            return code 5, 5.0 reason 0x87), close, tls-alert
  --mqtt-tls-version V      1.2 (default) or 1.3 (1.2 and 1.3 offered)
  --mqtt-max-connections N  MQTT connections open at once (default 10000)
  --admin-token T           require "Authorization: Bearer T" on /__admin/
  --admin-remote            let non-loopback peers use /__admin/
  --no-admin                disable /__admin/ entirely
  --quiet                   no per-request log lines on stderr
  --help                    this text
  --version                 the mock's version

Values may also be written --flag=VALUE.
Exit status: 0 after SIGINT/SIGTERM (and for --help, --version), 2 usage or
fixture error, 3 cannot bind.
Details, curl and SDK examples: mock_server/README.md.
)";

const std::vector<std::string>& FlagsWithValue() {
  static const std::vector<std::string> flags = {"--fixture",
                                                 "--host",
                                                 "--port",
                                                 "--tls-cert",
                                                 "--tls-key",
                                                 "--auth",
                                                 "--status-profile",
                                                 "--status",
                                                 "--rate-limit",
                                                 "--non-platinum-code",
                                                 "--default-region",
                                                 "--max-connections",
                                                 "--admin-token",
                                                 "--mqtt-port",
                                                 "--mqtt-tls-cert",
                                                 "--mqtt-tls-key",
                                                 "--mqtt-instance",
                                                 "--mqtt-refusal",
                                                 "--mqtt-tls-version",
                                                 "--mqtt-max-connections"};
  return flags;
}

const std::vector<std::string>& Switches() {
  static const std::vector<std::string> flags = {"--no-nonce-check", "--strict-requests", "--admin-remote",
                                                 "--no-admin", "--quiet"};  // --help, --version: CommandLine's
  return flags;
}

bool ParseInt(const std::string& s, int min, int max, int* out) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  long v = std::strtol(s.c_str(), nullptr, 10);
  if (v < min || v > max) return false;
  *out = static_cast<int>(v);
  return true;
}

Status Invalid(const std::string& message) { return Status::InvalidArgument(message); }

Status ApplyAuth(const std::string& value, MockOptions* o) {
  if (value == "strict") {
    o->auth = AuthMode::kStrict;
  } else if (value == "log") {
    o->auth = AuthMode::kLog;
  } else if (value == "off") {
    o->auth = AuthMode::kOff;
  } else {
    return Invalid("--auth must be strict, log or off, got \"" + value + "\"");
  }
  return Status::Ok();
}

Status ApplyMqttRefusal(const std::string& value, MockOptions* o) {
  if (value == "connack") {
    o->mqtt_refusal = MqttRefusal::kConnack;
  } else if (value == "close") {
    o->mqtt_refusal = MqttRefusal::kClose;
  } else if (value == "tls-alert") {
    o->mqtt_refusal = MqttRefusal::kTlsAlert;
  } else {
    return Invalid("--mqtt-refusal must be connack, close or tls-alert, got \"" + value + "\"");
  }
  return Status::Ok();
}

// The --mqtt-* flags; false when `flag` is not one of them.
std::optional<Status> ApplyMqttValue(const std::string& flag, const std::string& value, MockOptions* o) {
  if (flag == "--mqtt-port") {
    if (!ParseInt(value, 0, 65535, &o->mqtt_port)) {
      return Invalid("--mqtt-port needs a number in 0..65535, got \"" + value + "\"");
    }
  } else if (flag == "--mqtt-tls-cert") {
    o->mqtt_tls_cert_file = value;
  } else if (flag == "--mqtt-tls-key") {
    o->mqtt_tls_key_file = value;
  } else if (flag == "--mqtt-instance") {
    o->mqtt_instance = value;
  } else if (flag == "--mqtt-refusal") {
    return ApplyMqttRefusal(value, o);
  } else if (flag == "--mqtt-tls-version") {
    if (value != "1.2" && value != "1.3")
      return Invalid("--mqtt-tls-version must be 1.2 or 1.3, got \"" + value + "\"");
    o->mqtt_tls_version = value;
  } else if (flag == "--mqtt-max-connections") {
    if (!ParseInt(value, 1, 1'000'000, &o->mqtt_max_connections)) {
      return Invalid("--mqtt-max-connections needs a number in 1..1000000, got \"" + value + "\"");
    }
  } else {
    return std::nullopt;
  }
  return Status::Ok();
}

Status ApplyValue(const std::string& flag, const std::string& value, MockCommandLine* cl) {
  MockOptions* o = &cl->options;
  if (std::optional<Status> mqtt = ApplyMqttValue(flag, value, o)) return *mqtt;
  int n = 0;
  if (flag == "--fixture") {
    cl->fixture = value;
  } else if (flag == "--host") {
    o->host = value;
  } else if (flag == "--port") {
    if (!ParseInt(value, 0, 65535, &o->port))
      return Invalid("--port needs a number in 0..65535, got \"" + value + "\"");
  } else if (flag == "--tls-cert") {
    o->tls_cert_file = value;
  } else if (flag == "--tls-key") {
    o->tls_key_file = value;
  } else if (flag == "--auth") {
    return ApplyAuth(value, o);
  } else if (flag == "--status-profile") {
    o->status_profile = value;
  } else if (flag == "--status") {
    size_t eq = value.find('=');
    if (eq == std::string::npos || !ParseInt(value.substr(eq + 1), 100, 599, &n)) {
      return Invalid("--status needs CODE=STATUS with STATUS in 100..599, got \"" + value + "\"");
    }
    o->status_overrides[value.substr(0, eq)] = n;
  } else if (flag == "--rate-limit") {
    if (!ParseInt(value, 1, 1'000'000'000, &o->rate_limit)) {
      return Invalid("--rate-limit needs a positive number, got \"" + value + "\"");
    }
  } else if (flag == "--non-platinum-code") {
    if (BuiltinContract().FindError(value) == nullptr) {
      return Invalid("--non-platinum-code: \"" + value + "\" is not an error code of the contract");
    }
    o->non_platinum_code = value;
  } else if (flag == "--default-region") {
    o->default_region = value;
  } else if (flag == "--max-connections") {
    if (!ParseInt(value, 1, 1'000'000, &o->max_connections)) {
      return Invalid("--max-connections needs a number in 1..1000000, got \"" + value + "\"");
    }
  } else if (flag == "--admin-token") {
    o->admin_token = value;
  }
  return Status::Ok();
}

void ApplySwitch(const std::string& flag, MockCommandLine* cl) {
  if (flag == "--no-nonce-check") cl->options.check_nonce_replay = false;
  if (flag == "--strict-requests") cl->options.strict_requests = true;
  if (flag == "--admin-remote") cl->options.admin_remote = true;
  if (flag == "--no-admin") cl->options.admin_enabled = false;
  if (flag == "--quiet") cl->options.quiet = true;
}

// The mock's options, applied to `cl` (which must outlive the result).
CommandLine MockOptionsLine(MockCommandLine* cl) {
  CommandLine line;
  for (const std::string& flag : FlagsWithValue()) {
    line.AddValue(flag, [&flag, cl](const std::string& value) { return ApplyValue(flag, value, cl); });
  }
  for (const std::string& flag : Switches()) line.AddSwitch(flag, [&flag, cl] { ApplySwitch(flag, cl); });
  line.AddPositionals([](const std::string& arg) {
    return Invalid("unexpected argument \"" + arg + "\" (the mock takes options only; e.g. --fixture " + arg + ")");
  });
  return line;
}

}  // namespace

StatusOr<MockCommandLine> ParseMockCommandLine(const std::vector<std::string>& args) {
  MockCommandLine cl;
  cl.options.port = 8080;
  StatusOr<CommandLine::Request> request = MockOptionsLine(&cl).Parse(args);
  if (!request.ok()) return request.status();
  cl.help = *request == CommandLine::Request::kHelp;
  cl.version = *request == CommandLine::Request::kVersion;
  if (!cl.help && !cl.version && cl.fixture.empty()) {
    return Invalid("--fixture FILE is required (e.g. --fixture fixtures/default.yaml)");
  }
  return cl;
}

std::vector<std::string> MockOptionNames() {
  MockCommandLine cl;
  return MockOptionsLine(&cl).Names();
}

std::optional<int> AnswerCommandLine(const StatusOr<MockCommandLine>& cl, std::ostream& out, std::ostream& err) {
  if (!cl.ok()) {
    err << "onsmqtt-mock: error: " << cl.status().message() << "\n";
    return 2;
  }
  if (cl->help) {
    out << MockUsageText();
    return 0;
  }
  if (cl->version) {
    out << "onsmqtt-mock " << MockVersion() << " (contract " << BuiltinContract().product << " "
        << BuiltinContract().version << ")\n";
    return 0;
  }
  return std::nullopt;
}

void PrintListening(const MockServer& server, const std::string& host, std::FILE* out) {
  std::fprintf(out, "onsmqtt-mock listening on %s://%s:%d/\n", server.tls() ? "https" : "http", host.c_str(),
               server.port());
  if (server.mqtt_port() >= 0) {
    std::fprintf(out, "onsmqtt-mock MQTT (mutual TLS) on mqtts://%s:%d\n", host.c_str(), server.mqtt_port());
  }
  std::fflush(out);
}

const char* MockUsageText() { return kUsage; }

const char* MockVersion() { return ONSMQTT_VERSION; }

}  // namespace onsmqtt::mock
