#pragma once

#include <optional>
#include <string>

#include "contract/mqtt_codec.h"
#include "runner/execute/tls_client.h"

// One device connection, as a connect step makes it: mutual TLS to the
// broker, then (unless handshake only) CONNECT, one packet read back, and
// DISCONNECT after an accepted CONNACK. The outcome is classified for the
// step to judge (scenarios/README.md, "A connect step"):
//
//   the handshake failed (an alert from the server, or it hung up in it) -> kRefusedTls
//   a fatal alert after the handshake (TLS 1.3 refuses a certificate there) -> kRefusedTls
//   end of stream or reset before a CONNACK                             -> kClosed
//   a CONNACK                                                           -> kConnack, its code
//   handshake only, completed                                           -> kHandshakeOk
//   anything the harness cannot judge (no TCP connection, a timeout, the
//   server's certificate not accepted, a bad device PEM, a packet that is
//   not a CONNACK)                                                      -> kError
namespace onsmqtt::runner {

enum class DeviceOutcomeKind { kConnack, kRefusedTls, kClosed, kHandshakeOk, kError };

struct DeviceOutcome {
  DeviceOutcomeKind kind = DeviceOutcomeKind::kError;
  int code = 0;        // kConnack: the return (3.1/3.1.1) or reason (5.0) code
  std::string reason;  // kRefusedTls, kClosed: what OpenSSL or the socket said; kError: what went wrong
  // kError: no connection or no answer in time (a transport problem), as
  // opposed to a harness one (bad PEM, untrusted server, odd packet).
  bool transport = false;
  std::string tls_version;  // "TLSv1.2", when the handshake completed
  double handshake_seconds = 0;
  double seconds = 0;  // the whole connection
};

// `connect`: the CONNECT to send; nullopt: handshake only. Never blocks
// longer than a few multiples of tls.timeout.
DeviceOutcome ConnectDevice(const TlsClientOptions& tls, const std::optional<mqtt::Connect>& connect);

// "connack 5 (not authorized)", "refused: tls (sslv3 alert bad certificate)",
// "closed (the server closed the connection)", "handshake ok", "error: ...".
std::string DescribeOutcome(const DeviceOutcome& outcome, mqtt::Version version);

}  // namespace onsmqtt::runner
