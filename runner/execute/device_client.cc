#include "runner/execute/device_client.h"

#include <chrono>

#include "runner/scenario/connack_codes.h"

namespace onsmqtt::runner {
namespace {

DeviceOutcome Error(std::string reason, bool transport) {
  DeviceOutcome o;
  o.kind = DeviceOutcomeKind::kError;
  o.reason = std::move(reason);
  o.transport = transport;
  return o;
}

// A TLS problem after the handshake: a fatal alert is a TLS refusal, the
// end of the stream a close, the rest an error.
DeviceOutcome AfterHandshake(const TlsStatus& s, const std::string& doing) {
  DeviceOutcome o;
  switch (s.problem) {
    case TlsProblem::kAlert:
      o.kind = DeviceOutcomeKind::kRefusedTls;
      o.reason = s.message + " (an alert after the handshake, " + doing + ")";
      return o;
    case TlsProblem::kClosed:
      o.kind = DeviceOutcomeKind::kClosed;
      o.reason = s.message + " (" + doing + ")";
      return o;
    default:
      return Error(s.message + " (" + doing + ")", s.problem == TlsProblem::kTimeout);
  }
}

// Reads until one whole packet is buffered; it must be a CONNACK.
DeviceOutcome ReadConnack(TlsClient* client, mqtt::Version version) {
  std::string buf;
  for (;;) {
    mqtt::Frame frame;
    std::string why;
    mqtt::FrameState state = mqtt::ReadFrame(buf, mqtt::kDefaultMaxPacket, &frame, &why);
    if (state == mqtt::FrameState::kMalformed || state == mqtt::FrameState::kTooLarge) {
      return Error("the server's answer to CONNECT is not an MQTT packet: " + why, false);
    }
    if (state == mqtt::FrameState::kComplete) {
      if (frame.type != mqtt::PacketType::kConnack) {
        return Error(
            std::string("the server answered CONNECT with ") + mqtt::PacketTypeName(frame.type) + ", not CONNACK",
            false);
      }
      StatusOr<mqtt::Connack> connack =
          mqtt::DecodeConnack(version, std::string_view(buf).substr(frame.header_bytes, frame.body_bytes));
      if (!connack.ok()) return Error("the server's CONNACK is malformed: " + connack.status().message(), false);
      DeviceOutcome o;
      o.kind = DeviceOutcomeKind::kConnack;
      o.code = connack->code;
      return o;
    }
    if (TlsStatus s = client->Read(&buf); !s.ok()) return AfterHandshake(s, "waiting for CONNACK");
  }
}

DeviceOutcome Exchange(TlsClient* client, const mqtt::Connect& connect) {
  if (TlsStatus s = client->Write(mqtt::EncodeConnect(connect)); !s.ok()) {
    // A server that refused the certificate after a TLS 1.3 handshake may
    // have hung up already; its alert can still be waiting to be read.
    std::string ignored;
    TlsStatus pending = s.problem == TlsProblem::kClosed ? client->Read(&ignored) : s;
    return AfterHandshake(pending.problem == TlsProblem::kAlert ? pending : s, "sending CONNECT");
  }
  DeviceOutcome o = ReadConnack(client, connect.version);
  // A polite goodbye after an accepted connection; a refused one is the
  // server's to close.
  if (o.kind == DeviceOutcomeKind::kConnack && o.code == 0) {
    client->Write(mqtt::EncodeDisconnect(connect.version));
  }
  return o;
}

}  // namespace

DeviceOutcome ConnectDevice(const TlsClientOptions& tls, const std::optional<mqtt::Connect>& connect) {
  auto start = std::chrono::steady_clock::now();
  TlsClient client(tls);
  DeviceOutcome o;
  TlsStatus s = client.Connect();
  if (s.problem == TlsProblem::kRefused) {
    o.kind = DeviceOutcomeKind::kRefusedTls;
    o.reason = s.message;
  } else if (!s.ok()) {
    o = Error(s.message, s.problem == TlsProblem::kUnreachable || s.problem == TlsProblem::kTimeout);
  } else if (!connect.has_value()) {
    o.kind = DeviceOutcomeKind::kHandshakeOk;
  } else {
    o = Exchange(&client, *connect);
  }
  o.tls_version = client.protocol_version();
  o.handshake_seconds = client.handshake_seconds();
  client.Close();
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

std::string DescribeOutcome(const DeviceOutcome& o, mqtt::Version version) {
  switch (o.kind) {
    case DeviceOutcomeKind::kConnack:
      return "connack " + DescribeConnackCode(version, o.code);
    case DeviceOutcomeKind::kRefusedTls:
      return "refused: tls (" + o.reason + ")";
    case DeviceOutcomeKind::kClosed:
      return "closed (" + o.reason + ")";
    case DeviceOutcomeKind::kHandshakeOk:
      return "handshake ok";
    case DeviceOutcomeKind::kError:
      break;
  }
  return "error: " + o.reason;
}

}  // namespace onsmqtt::runner
