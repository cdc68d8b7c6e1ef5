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

  // --- Admin API and logs ---------------------------------------------------
  bool admin_enabled = true;
  std::string admin_token;          // non-empty: required as "Authorization: Bearer <token>"
  bool admin_remote = false;        // false: /__admin/ answers loopback peers only
  bool quiet = false;               // no per-request log lines
  size_t journal_capacity = 10000;  // most recent requests kept

  // --- Time -----------------------------------------------------------------
  // Not owned; nullptr means the system clock. Tests inject a ManualClock.
  const Clock* clock = nullptr;
};

}  // namespace onsmqtt::mock
