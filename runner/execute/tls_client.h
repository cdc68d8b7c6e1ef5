#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contract/status.h"

// A TLS client connection with a client certificate, for connect steps:
// the runner acting as a device (device_client.h). OpenSSL stays in the
// .cc. Every operation is bounded by `timeout`, so a broker that never
// answers is a kTimeout, never a stuck run. Connect() ignores SIGPIPE
// unless the process chose a handler (a write to a broker that hung up is
// an error value, not the process's end). Not thread-safe; one per
// connection.
namespace onsmqtt::runner {

struct TlsClientOptions {
  std::string host;  // an address or a name to resolve
  int port = 0;
  // The TLS server name (SNI). Empty, or an IP address: none is sent (RFC
  // 6066 allows host names only).
  std::string server_name;
  // The server's chain must verify against this PEM CA (the fixture's
  // mqtt.ca); empty: against the system's default store. The host name is
  // not checked: the server name selects the broker's instance
  // (<instance-id>.mqtt.aliyuncs.com), which need not be a name the
  // server's certificate carries (the mock's says localhost).
  std::string ca_pem;
  bool verify_server = true;  // false: accept any server certificate
  // The device's identity: its certificate and private key, and extra
  // certificates sent after the leaf (its chain), all PEM text.
  std::string certificate_pem;
  std::string key_pem;
  std::vector<std::string> chain_pems;
  // TLS 1.2 or later is offered; this caps it (e.g. "1.2"); empty: the
  // highest OpenSSL supports.
  std::string max_version;
  std::chrono::milliseconds timeout{5000};  // each of: TCP connect, handshake, a read, a write
};

// What went wrong, typed, so the connect step can tell a refusal from a
// harness problem.
enum class TlsProblem {
  kNone,
  kIdentity,     // the certificate, key or chain does not load, or the key is not the certificate's
  kUnreachable,  // no TCP connection (refused, unresolvable host)
  kTimeout,      // no progress within the timeout
  kRefused,      // the handshake failed: an alert from the server, or it hung up during it
  kUntrusted,    // the server's certificate did not verify against the CA
  kClosed,       // after the handshake: end of stream or reset, before what was awaited
  kAlert,        // after the handshake: a fatal alert (a TLS 1.3 server refuses a certificate here)
  kOther,
};

struct TlsStatus {
  TlsProblem problem = TlsProblem::kNone;
  std::string message;  // OpenSSL's reason where it has one ("sslv3 alert bad certificate")
  bool ok() const { return problem == TlsProblem::kNone; }
};

class TlsClient {
 public:
  explicit TlsClient(TlsClientOptions options);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // TCP connect, then the TLS handshake.
  TlsStatus Connect();
  // REQUIRES: Connect() succeeded. Writes all of `data`.
  TlsStatus Write(std::string_view data);
  // REQUIRES: Connect() succeeded. Appends at least one byte to *out.
  TlsStatus Read(std::string* out);
  // Sends close_notify (best effort, without waiting for the peer's) and
  // closes the socket. Idempotent; the destructor does it too.
  void Close();

  std::string protocol_version() const;  // "TLSv1.2", after Connect(); else ""
  double handshake_seconds() const;      // the TLS handshake alone

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The server name the handshake carries for `name`: `name`, or "" for an
// IP address (none is sent).
std::string SentServerName(const std::string& name);

// Serial and subject of a PEM certificate, for reports.
struct CertificateSummary {
  std::string sn;  // lowercase hex of the serial number, as the service names certificates
  std::string cn;  // the subject's common name ("" when it has none)
};
// kInvalidArgument when `pem` holds no certificate.
StatusOr<CertificateSummary> SummarizeCertificate(const std::string& pem);

}  // namespace onsmqtt::runner
