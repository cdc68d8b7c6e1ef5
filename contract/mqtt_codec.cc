// The packet table, the fixed header, CONNECT and CONNACK. The other
// packets are in mqtt_packets.cc, the data types in mqtt_wire.cc.
#include "contract/mqtt_codec.h"

#include "contract/mqtt_wire.h"

namespace onsmqtt::mqtt {
namespace wire {
namespace {

// What each packet type may carry: MQTT 3.1.1 §2.2.2 and 5.0 §2.1.3 (the
// fixed-header flags), §3.x (who sends it, its body). The minimum body is
// the shortest of any version: CONNECT 3.1.1 with an empty client
// identifier (12), SUBSCRIBE 3.1.1 with an empty filter (5), SUBACK with
// one code (3), UNSUBSCRIBE with an empty filter (4). DISCONNECT has a body
// in 5.0 only, AUTH exists in 5.0 only (both may have an empty one).
constexpr PacketInfo kPacketTable[16] = {
    {"reserved type 0", 0x0, Sender::kBoth, Body::kNone, 0, false},
    {"CONNECT", 0x0, Sender::kClient, Body::kRequired, 12, false},
    {"CONNACK", 0x0, Sender::kServer, Body::kRequired, 2, false},
    {"PUBLISH", kAnyFlags, Sender::kBoth, Body::kRequired, 2, false},
    {"PUBACK", 0x0, Sender::kBoth, Body::kRequired, 2, false},
    {"PUBREC", 0x0, Sender::kBoth, Body::kRequired, 2, false},
    {"PUBREL", 0x2, Sender::kBoth, Body::kRequired, 2, false},
    {"PUBCOMP", 0x0, Sender::kBoth, Body::kRequired, 2, false},
    {"SUBSCRIBE", 0x2, Sender::kClient, Body::kRequired, 5, false},
    {"SUBACK", 0x0, Sender::kServer, Body::kRequired, 3, false},
    {"UNSUBSCRIBE", 0x2, Sender::kClient, Body::kRequired, 4, false},
    {"UNSUBACK", 0x0, Sender::kServer, Body::kRequired, 2, false},
    {"PINGREQ", 0x0, Sender::kClient, Body::kNone, 0, false},
    {"PINGRESP", 0x0, Sender::kServer, Body::kNone, 0, false},
    {"DISCONNECT", 0x0, Sender::kBoth, Body::kOptional, 0, false},
    {"AUTH", 0x0, Sender::kBoth, Body::kOptional, 0, true},
};

}  // namespace

const PacketInfo& Info(uint8_t type) { return kPacketTable[type < 16 ? type : 0]; }

std::string BodySizeError(uint8_t type, size_t size) {
  const PacketInfo& info = Info(type);
  if (info.body == Body::kNone && size != 0) {
    return std::string(info.name) + ": Remaining Length " + std::to_string(size) + " (must be 0)";
  }
  if (size < info.min_body) {
    return std::string(info.name) + ": Remaining Length " + std::to_string(size) + " is below the minimum " +
           std::to_string(info.min_body);
  }
  return "";
}

}  // namespace wire

using wire::Reader;
using wire::V5;

const char* PacketTypeName(PacketType type) { return wire::Info(type).name; }
Sender PacketSender(PacketType type) { return wire::Info(type).sender; }

const char* VersionName(Version v) {
  switch (v) {
    case Version::k31:
      return "3.1";
    case Version::k311:
      return "3.1.1";
    case Version::k5:
      return "5.0";
  }
  return "unknown";
}

std::optional<Version> ParseVersion(std::string_view name) {
  if (name == "3.1" || name == "mqttv31") return Version::k31;
  if (name == "3.1.1" || name == "mqttv311") return Version::k311;
  if (name == "5.0" || name == "5" || name == "mqttv5") return Version::k5;
  return std::nullopt;
}

uint8_t NotAuthorizedCode(Version v) { return V5(v) ? kReasonNotAuthorized : kConnackNotAuthorized; }

FrameState ReadFrame(std::string_view buf, size_t max_packet, Frame* frame, std::string* error) {
  auto fail = [error](FrameState state, std::string why) {
    if (error != nullptr) *error = std::move(why);
    return state;
  };
  if (buf.empty()) return FrameState::kNeedMore;
  const auto type = static_cast<uint8_t>(static_cast<uint8_t>(buf[0]) >> 4);
  const auto flags = static_cast<uint8_t>(buf[0] & 0x0F);
  const wire::PacketInfo& info = wire::Info(type);
  if (type == 0) return fail(FrameState::kMalformed, "reserved packet type 0");
  if (info.flags != wire::kAnyFlags && flags != info.flags) {
    return fail(FrameState::kMalformed, std::string(info.name) + ": fixed-header flags " + wire::Hex(flags) +
                                            " (must be " + wire::Hex(static_cast<unsigned>(info.flags)) + ")");
  }
  uint32_t length = 0;
  size_t used = 0;
  switch (wire::DecodeVarInt(buf, 1, &length, &used)) {
    case wire::VarIntResult::kShort:
      return FrameState::kNeedMore;
    case wire::VarIntResult::kTooLong:
      return fail(FrameState::kMalformed, std::string(info.name) + ": Remaining Length longer than 4 bytes");
    case wire::VarIntResult::kOk:
      break;
  }
  if (std::string why = wire::BodySizeError(type, length); !why.empty()) return fail(FrameState::kMalformed, why);
  frame->type = static_cast<PacketType>(type);
  frame->flags = flags;
  frame->header_bytes = 1 + used;
  frame->body_bytes = length;
  if (frame->total() > max_packet) {
    return fail(FrameState::kTooLarge, std::string(info.name) + ": " + std::to_string(frame->total()) +
                                           " bytes exceed the limit of " + std::to_string(max_packet));
  }
  return buf.size() < frame->total() ? FrameState::kNeedMore : FrameState::kComplete;
}

// --- CONNECT ----------------------------------------------------------------
namespace {

// Bits of the Connect Flags byte (§3.1.2.3).
constexpr uint8_t kReservedFlag = 0x01, kCleanFlag = 0x02, kWillFlag = 0x04, kWillRetainFlag = 0x20,
                  kPasswordFlag = 0x40, kUsernameFlag = 0x80;

Status ReadProtocol(Reader& r, Version* version, bool* unsupported_level) {
  std::string name;
  uint8_t level = 0;
  RETURN_IF_ERROR(r.Utf8("protocol name", &name));
  if (name != "MQTT" && name != "MQIsdp") {
    return r.Error("protocol name " + wire::Quote(name) + " (must be \"MQTT\" or \"MQIsdp\")");
  }
  RETURN_IF_ERROR(r.Byte("protocol level", &level));
  if (name == "MQIsdp" ? level != 3 : level != 4 && level != 5) {
    if (unsupported_level != nullptr) *unsupported_level = true;
    return r.Error("unsupported protocol " + wire::Quote(name) + " level " + std::to_string(level) +
                   " (3.1 is \"MQIsdp\" 3, 3.1.1 \"MQTT\" 4, 5.0 \"MQTT\" 5)");
  }
  *version = static_cast<Version>(level);
  return Status::Ok();
}

Status ReadConnectFlags(Reader& r, Connect* c, uint8_t* flags) {
  RETURN_IF_ERROR(r.Byte("connect flags", flags));
  const uint8_t f = *flags;
  if ((f & kReservedFlag) != 0) return r.Error("connect flags " + wire::Hex(f) + " have the reserved bit 0 set");
  c->clean_session = (f & kCleanFlag) != 0;
  c->will = (f & kWillFlag) != 0;
  c->will_qos = static_cast<uint8_t>(f >> 3 & 3);
  c->will_retain = (f & kWillRetainFlag) != 0;
  if (c->will_qos == 3) return r.Error("will QoS 3 in connect flags " + wire::Hex(f) + " (must be 0, 1 or 2)");
  if (!c->will && (c->will_qos != 0 || c->will_retain)) {
    return r.Error("connect flags " + wire::Hex(f) + " set will QoS or will retain without the will flag");
  }
  if ((f & kPasswordFlag) != 0 && (f & kUsernameFlag) == 0 && !V5(c->version)) {
    return r.Error("connect flags " + wire::Hex(f) + " set the password flag without the user name flag (" +
                   VersionName(c->version) + "; 5.0 allows it)");
  }
  return Status::Ok();
}

Status ReadConnectPayload(Reader& r, uint8_t flags, Connect* c) {
  RETURN_IF_ERROR(r.Utf8("client identifier", &c->client_id));
  if (c->will) {
    wire::Properties ignored;
    if (V5(c->version)) RETURN_IF_ERROR(wire::ReadProperties(r, wire::kWillProperties, &ignored));
    RETURN_IF_ERROR(r.Utf8("will topic", &c->will_topic));
    if (c->will_topic.empty()) return r.Error("will topic is empty");
    if (c->will_topic.find_first_of("+#") != std::string::npos) {
      return r.Error("will topic " + wire::Quote(c->will_topic) + " contains a wildcard");
    }
    RETURN_IF_ERROR(r.Binary("will payload", &c->will_payload));
  }
  std::string text;
  if ((flags & kUsernameFlag) != 0) {
    RETURN_IF_ERROR(r.Utf8("user name", &text));
    c->username = text;
  }
  if ((flags & kPasswordFlag) != 0) {
    RETURN_IF_ERROR(r.Binary("password", &text));
    c->password = text;
  }
  return r.End("payload");
}

}  // namespace

StatusOr<Connect> DecodeConnect(std::string_view body, bool* unsupported_level) {
  if (unsupported_level != nullptr) *unsupported_level = false;
  if (std::string why = wire::BodySizeError(1, body.size()); !why.empty()) return Status::InvalidArgument(why);
  Reader r("CONNECT", body);
  Connect c;
  uint8_t flags = 0;
  RETURN_IF_ERROR(ReadProtocol(r, &c.version, unsupported_level));
  RETURN_IF_ERROR(ReadConnectFlags(r, &c, &flags));
  RETURN_IF_ERROR(r.Two("keep alive", &c.keep_alive));
  if (V5(c.version)) {
    wire::Properties props;
    RETURN_IF_ERROR(wire::ReadProperties(r, wire::In(PacketType::kConnect), &props));
    c.session_expiry = props.session_expiry;
  }
  RETURN_IF_ERROR(ReadConnectPayload(r, flags, &c));
  return c;
}

std::string EncodeConnect(const Connect& c) {
  wire::Writer w;
  w.Binary(c.version == Version::k31 ? "MQIsdp" : "MQTT");
  w.Byte(static_cast<uint8_t>(c.version));
  uint8_t flags = static_cast<uint8_t>((c.will_qos & 3) << 3);
  if (c.clean_session) flags |= kCleanFlag;
  if (c.will) flags |= kWillFlag;
  if (c.will_retain) flags |= kWillRetainFlag;
  if (c.password) flags |= kPasswordFlag;
  if (c.username) flags |= kUsernameFlag;
  w.Byte(flags);
  w.Two(c.keep_alive);
  if (V5(c.version)) w.WriteProperties({c.session_expiry, std::nullopt});
  w.Binary(c.client_id);
  if (c.will) {
    if (V5(c.version)) w.WriteProperties({});
    w.Binary(c.will_topic);
    w.Binary(c.will_payload);
  }
  if (c.username) w.Binary(*c.username);
  if (c.password) w.Binary(*c.password);
  return w.Packet(0x10);
}

// --- CONNACK ----------------------------------------------------------------

StatusOr<Connack> DecodeConnack(Version v, std::string_view body) {
  if (std::string why = wire::BodySizeError(2, body.size()); !why.empty()) return Status::InvalidArgument(why);
  Reader r("CONNACK", body);
  uint8_t flags = 0;
  Connack c;
  RETURN_IF_ERROR(r.Byte("acknowledge flags", &flags));
  RETURN_IF_ERROR(r.Byte(V5(v) ? "reason code" : "return code", &c.code));
  // 3.1 has no Session Present: its first byte is reserved and ignored.
  if (v != Version::k31 && (flags & 0xFE) != 0) {
    return r.Error("acknowledge flags " + wire::Hex(flags) + " have reserved bits 1-7 set");
  }
  c.session_present = v != Version::k31 && (flags & 1) != 0;
  if (V5(v)) {
    if (c.code != 0 && c.code < 0x80) return r.Error("reason code " + wire::Hex(c.code) + " is not a CONNACK code");
    wire::Properties ignored;
    RETURN_IF_ERROR(wire::ReadProperties(r, wire::In(PacketType::kConnack), &ignored));
  } else if (c.code > kConnackNotAuthorized) {
    return r.Error("return code " + wire::Hex(c.code) + " is reserved (0x0-0x5 are defined)");
  }
  if (c.session_present && c.code != 0) {
    return r.Error("session present with the refusal " + wire::Hex(c.code) + " (must be 0 on a refusal)");
  }
  RETURN_IF_ERROR(r.End(V5(v) ? "properties" : "return code"));
  return c;
}

std::string EncodeConnack(Version v, const Connack& connack) {
  wire::Writer w;
  w.Byte(connack.session_present && v != Version::k31 ? 1 : 0);
  w.Byte(connack.code);
  if (V5(v)) w.WriteProperties({});
  return w.Packet(0x20);
}

}  // namespace onsmqtt::mqtt
