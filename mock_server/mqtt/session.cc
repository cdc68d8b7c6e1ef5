#include "mock_server/mqtt/session.h"

#include <algorithm>
#include <utility>

namespace onsmqtt::mock {

namespace {

constexpr uint8_t kReasonQosNotSupported = 0x9B;  // 5.0 DISCONNECT
constexpr uint8_t kReasonPacketTooLarge = 0x95;   // 5.0 DISCONNECT
constexpr uint8_t kMaxGrantedQos = 1;             // QoS 2 is not offered
constexpr uint8_t kSubscriptionFailure = 0x80;

}  // namespace

Session::Output Session::Feed(std::string_view data) {
  Output out;
  if (state_ == State::kClosed) {
    out.close = true;
    return out;
  }
  buffer_.append(data);
  size_t used = 0;
  while (state_ != State::kClosed) {
    std::string_view rest(buffer_.data() + used, buffer_.size() - used);
    mqtt::Frame frame;
    std::string error;
    mqtt::FrameState fs = mqtt::ReadFrame(rest, max_packet_, &frame, &error);
    if (fs == mqtt::FrameState::kNeedMore) break;
    if (fs != mqtt::FrameState::kComplete) {
      uint8_t reason = fs == mqtt::FrameState::kTooLarge ? kReasonPacketTooLarge : mqtt::kReasonMalformedPacket;
      Violation(fs == mqtt::FrameState::kTooLarge ? "packet too large: " + error : "malformed packet: " + error, reason,
                &out);
      break;
    }
    std::string_view body = rest.substr(frame.header_bytes, frame.body_bytes);
    used += frame.total();
    if (!Handle(frame, body, &out)) state_ = State::kClosed;
  }
  buffer_.erase(0, used);
  if (state_ == State::kClosed) {
    out.close = true;
    buffer_.clear();
  }
  return out;
}

bool Session::Handle(const mqtt::Frame& frame, std::string_view body, Output* out) {
  if (state_ == State::kAwaitConnect) {
    if (frame.type != mqtt::PacketType::kConnect) {
      out->why = std::string("the first packet is ") + mqtt::PacketTypeName(frame.type) + ", not CONNECT";
      return false;
    }
    return HandleConnect(body, out);
  }
  return HandleConnected(frame, body, out);
}

bool Session::HandleConnect(std::string_view body, Output* out) {
  bool unsupported = false;
  StatusOr<mqtt::Connect> connect = mqtt::DecodeConnect(body, &unsupported);
  if (!connect.ok()) {
    out->why = "CONNECT refused: " + connect.status().message();
    if (unsupported) out->bytes += mqtt::EncodeConnack(mqtt::Version::k311, {false, mqtt::kConnackBadProtocolVersion});
    return false;
  }
  saw_connect_ = true;
  version_ = connect->version;
  keep_alive_ = connect->keep_alive;
  Verdict verdict = on_connect_(*connect);
  if (verdict.accepted) {
    out->bytes += mqtt::EncodeConnack(version_, {false, mqtt::kConnackAccepted});
    state_ = State::kConnected;
    return true;
  }
  out->why = "CONNECT refused";
  if (verdict.connack) out->bytes += mqtt::EncodeConnack(version_, {false, *verdict.connack});
  return false;
}

bool Session::HandleConnected(const mqtt::Frame& frame, std::string_view body, Output* out) {
  switch (frame.type) {
    case mqtt::PacketType::kPingreq:
      out->bytes += mqtt::EncodePingresp();
      return true;
    case mqtt::PacketType::kDisconnect:
      out->why = "DISCONNECT";
      return false;
    case mqtt::PacketType::kPublish: {
      StatusOr<mqtt::Publish> p = mqtt::DecodePublish(version_, frame.flags, body);
      if (!p.ok()) return Violation("PUBLISH: " + p.status().message(), mqtt::kReasonMalformedPacket, out);
      if (p->qos > kMaxGrantedQos) return Violation("PUBLISH with QoS 2 (not supported)", kReasonQosNotSupported, out);
      if (p->qos == 1) out->bytes += mqtt::EncodePuback(version_, p->packet_id);
      return true;
    }
    case mqtt::PacketType::kSubscribe: {
      StatusOr<mqtt::Subscribe> s = mqtt::DecodeSubscribe(version_, body);
      if (!s.ok()) return Violation("SUBSCRIBE: " + s.status().message(), mqtt::kReasonMalformedPacket, out);
      std::vector<uint8_t> codes;
      for (const mqtt::Subscription& sub : s->subscriptions) {
        codes.push_back(sub.filter.empty() ? kSubscriptionFailure : std::min(sub.qos, kMaxGrantedQos));
      }
      out->bytes += mqtt::EncodeSuback(version_, s->packet_id, codes);
      return true;
    }
    case mqtt::PacketType::kUnsubscribe: {
      size_t filters = 0;
      StatusOr<uint16_t> id = mqtt::DecodeUnsubscribe(version_, body, &filters);
      if (!id.ok()) return Violation("UNSUBSCRIBE: " + id.status().message(), mqtt::kReasonMalformedPacket, out);
      out->bytes += mqtt::EncodeUnsuback(version_, *id, filters);
      return true;
    }
    default:
      return Violation(std::string("unexpected ") + mqtt::PacketTypeName(frame.type) + " from a client",
                       mqtt::kReasonProtocolError, out);
  }
}

bool Session::Violation(std::string why, uint8_t reason, Output* out) {
  out->why = std::move(why);
  if (state_ == State::kConnected && version_ == mqtt::Version::k5)
    out->bytes += mqtt::EncodeDisconnect(version_, reason);
  state_ = State::kClosed;
  return false;
}

}  // namespace onsmqtt::mock
