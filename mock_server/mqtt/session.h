#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "contract/mqtt_codec.h"

// One device connection's MQTT conversation, without sockets or TLS: bytes
// in, bytes out. The listener feeds it what it read and writes back what it
// answers; tests feed it packets directly.
//
//   before CONNECT  only CONNECT; anything else closes the connection
//   CONNECT         decode; an unsupported protocol level is answered with
//                   CONNACK 0x01 (5.0: 0x84), a malformed one closes; else
//                   the caller's OnConnect decides: accept (CONNACK 0),
//                   refuse with a CONNACK code, or refuse by closing
//   connected       PINGREQ -> PINGRESP; SUBSCRIBE -> SUBACK (QoS granted
//                   up to 1); UNSUBSCRIBE -> UNSUBACK; PUBLISH QoS 0, and
//                   QoS 1 -> PUBACK (messages are acknowledged, not
//                   delivered: the mock routes nothing); QoS 2, a second
//                   CONNECT or a malformed packet close the connection (5.0:
//                   after DISCONNECT with a reason code); DISCONNECT closes
//
// NOT thread-safe: one session per connection, driven by one thread at a time.
namespace onsmqtt::mock {

class Session {
 public:
  // What the caller decided on a CONNECT.
  struct Verdict {
    bool accepted = false;
    // Refused: the CONNACK code to send, or nullopt to close without one.
    std::optional<uint8_t> connack;
  };
  using OnConnect = std::function<Verdict(const mqtt::Connect&)>;

  struct Output {
    std::string bytes;   // to write, in order
    bool close = false;  // close once `bytes` are written
    std::string why;     // why it closes (for the log), when close
  };

  explicit Session(OnConnect on_connect, size_t max_packet = mqtt::kDefaultMaxPacket)
      : on_connect_(std::move(on_connect)), max_packet_(max_packet) {}

  // Takes what arrived; answers every complete packet in it.
  Output Feed(std::string_view data);

  bool connected() const { return state_ == State::kConnected; }
  bool saw_connect() const { return saw_connect_; }
  // The CONNECT's keep-alive in seconds (0: none); valid once saw_connect().
  uint16_t keep_alive() const { return keep_alive_; }
  mqtt::Version version() const { return version_; }
  size_t buffered() const { return buffer_.size(); }

 private:
  enum class State { kAwaitConnect, kConnected, kClosed };

  // Answers one whole packet; false when the connection must close.
  bool Handle(const mqtt::Frame& frame, std::string_view body, Output* out);
  bool HandleConnect(std::string_view body, Output* out);
  bool HandleConnected(const mqtt::Frame& frame, std::string_view body, Output* out);
  bool Violation(std::string why, uint8_t reason, Output* out);

  OnConnect on_connect_;
  const size_t max_packet_;
  State state_ = State::kAwaitConnect;
  bool saw_connect_ = false;
  uint16_t keep_alive_ = 0;
  mqtt::Version version_ = mqtt::Version::k311;
  std::string buffer_;
};

}  // namespace onsmqtt::mock
