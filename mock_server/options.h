#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "contract/clock.h"

// Everything about the mock that is a choice rather than a fact of the
// contract. Each default is the decision listed in README.md's assumptions table.
namespace onsmqtt::mock {

enum class AuthMode {
  kStrict,  // verify; failures are answered with the gateway error (default)
  kLog,     // verify; log what would fail, then let the request pass
  kOff,     // no verification; the AccessKeyId still selects the caller
};

// How the MQTT listener refuses a device (not documented; README's
// assumptions table).
enum class MqttRefusal {
  kConnack,   // CONNACK "not authorized": 3.1/3.1.1 return code 0x05, 5.0 reason 0x87 (default)
  kClose,     // close the connection without a CONNACK
  kTlsAlert,  // fail the TLS handshake with an alert (the decision is made there)
};

struct MockOptions {
  // --- Network --------------------------------------------------------------
  std::string host = "127.0.0.1";  // address to bind
  int port = 0;                    // 0: pick a free port
  std::string tls_cert_file;       // with tls_key_file: serve HTTPS
  std::string tls_key_file;
  // Connections open at once (default 10,000; lowered to the open-file
  // limit, which the mock raises to its hard limit, minus 64). Beyond it a
  // new connection is answered 503 and closed. Idle connections cost no
  // thread (HTTPS: one thread each).
  int max_connections = 10000;
  // Requests handled at once (threads, started on demand, exiting after 30 s
  // without work); more wait for the next free one, never for an idle
  // connection.
  int worker_threads = 64;

  // --- Authentication -------------------------------------------------------
  AuthMode auth = AuthMode::kStrict;
  std::chrono::seconds timestamp_window{15 * 60};  // InvalidTimeStamp.Expired beyond
  bool check_nonce_replay = true;                  // SignatureNonceUsed within the window

  // --- Contract choices -----------------------------------------------------
  // "documented" (each code's mock_status from the contract file) or a
  // profile of the contract file ("adjusted": the announced status change).
  std::string status_profile = "documented";
  // Per-code overrides applied last: code -> HTTP status.
  std::map<std::string, int> status_overrides;
  // The answer for an operation on a non-Platinum instance (undocumented).
  std::string non_platinum_code = "ApiNotSupport";
  // Throttling: calls per account and operation in any one-second window;
  // 0 takes the contract's limit (500). Status comes from the catalogue
  // (Throttling.User, 400 by default; override with status_overrides).
  int rate_limit = 0;
  std::string default_region = "cn-hangzhou";  // when Host is not onsmqtt.<region>.aliyuncs.com
  // Answer a request that breaks a rule of contract/request_check.h (an
  // unknown parameter, an unsigned x-acs-* header, ...) with an error that
  // names it instead of serving it (mock_server/gateway/request_violations.h).
  // Off: the service's behaviour (unknown parameters ignored); the journal
  // lists the violations either way.
  bool strict_requests = false;

  // --- Admin API and logs ---------------------------------------------------
  bool admin_enabled = true;
  std::string admin_token;          // non-empty: required as "Authorization: Bearer <token>"
  bool admin_remote = false;        // false: /__admin/ answers loopback peers only
  bool quiet = false;               // no per-request log lines
  size_t journal_capacity = 10000;  // most recent requests kept

  // --- MQTT device listener (mock_server/mqtt/) ----------------------------
  int mqtt_port = -1;  // -1: no listener; 0: a free port
  // PEM files of the listener's server certificate and key; empty: the
  // fixture's `mqtt` section.
  std::string mqtt_tls_cert_file;
  std::string mqtt_tls_key_file;
  // The instance of a connect whose TLS server name is not
  // <instance-id>.mqtt.aliyuncs.com; empty: the fixture's first Platinum one.
  std::string mqtt_instance;
  MqttRefusal mqtt_refusal = MqttRefusal::kConnack;
  // "1.2" (default: a refusal during a TLS 1.3 handshake reaches the client
  // only at its first read) or "1.3" (1.2 and 1.3 offered).
  std::string mqtt_tls_version = "1.2";
  int mqtt_max_connections = 10000;  // open at once; more are closed at accept

  // --- Time -----------------------------------------------------------------
  // Not owned; nullptr means the system clock. Tests inject a ManualClock.
  const Clock* clock = nullptr;
};

}  // namespace onsmqtt::mock
