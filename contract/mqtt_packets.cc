// PUBLISH, PUBACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ,
// PINGRESP and DISCONNECT (contract/mqtt_codec.h). The packet table and
// CONNECT are in mqtt_codec.cc.
#include "contract/mqtt_codec.h"
#include "contract/mqtt_wire.h"

namespace onsmqtt::mqtt {
namespace {

using wire::Reader;
using wire::V5;

Status CheckBody(PacketType type, std::string_view body) {
  std::string why = wire::BodySizeError(static_cast<uint8_t>(type), body.size());
  return why.empty() ? Status::Ok() : Status::InvalidArgument(why);
}

Status ReadPacketId(Reader& r, uint16_t* id) {
  RETURN_IF_ERROR(r.Two("packet identifier", id));
  if (*id == 0) return r.Error("packet identifier 0 (must be nonzero)");
  return Status::Ok();
}

// The properties of a 5.0 packet, skipped; nothing in 3.1/3.1.1.
Status SkipProperties(Version v, Reader& r, PacketType type) {
  wire::Properties ignored;
  return V5(v) ? wire::ReadProperties(r, wire::In(type), &ignored) : Status::Ok();
}

}  // namespace

// --- PUBLISH, PUBACK ----------------------------------------------------------

StatusOr<Publish> DecodePublish(Version v, uint8_t flags, std::string_view body) {
  RETURN_IF_ERROR(CheckBody(PacketType::kPublish, body));
  Reader r("PUBLISH", body);
  Publish p;
  p.dup = (flags & 0x08) != 0;
  p.qos = static_cast<uint8_t>(flags >> 1 & 3);
  p.retain = (flags & 0x01) != 0;
  if (flags > 0x0F) return r.Error("fixed-header flags " + wire::Hex(flags) + " do not fit in four bits");
  if (p.qos == 3) return r.Error("QoS 3 in the fixed-header flags " + wire::Hex(flags) + " (must be 0, 1 or 2)");
  if (p.dup && p.qos == 0) return r.Error("DUP set on a QoS 0 message (flags " + wire::Hex(flags) + ")");
  RETURN_IF_ERROR(r.Utf8("topic name", &p.topic));
  if (p.qos > 0) RETURN_IF_ERROR(ReadPacketId(r, &p.packet_id));
  if (V5(v)) {
    wire::Properties props;
    RETURN_IF_ERROR(wire::ReadProperties(r, wire::In(PacketType::kPublish), &props));
    if (props.topic_alias == uint16_t{0}) return r.Error("Topic Alias 0 (must be nonzero)");
    p.topic_alias = props.topic_alias.value_or(0);
  }
  if (p.topic.empty() && p.topic_alias == 0) {
    return r.Error(V5(v) ? "topic name is empty and there is no Topic Alias" : "topic name is empty");
  }
  if (p.topic.find_first_of("+#") != std::string::npos) {
    return r.Error("topic name " + wire::Quote(p.topic) + " contains a wildcard");
  }
  p.payload = std::string(r.Rest());
  return p;
}

std::string EncodePublish(Version v, const Publish& p) {
  wire::Writer w;
  w.Binary(p.topic);
  if (p.qos > 0) w.Two(p.packet_id);
  if (V5(v)) {
    wire::Properties props;
    if (p.topic_alias != 0) props.topic_alias = p.topic_alias;
    w.WriteProperties(props);
  }
  w.Raw(p.payload);
  return w.Packet(static_cast<uint8_t>(0x30 | (p.dup ? 0x08 : 0) | (p.qos & 3) << 1 | (p.retain ? 1 : 0)));
}

// 5.0 §3.4.2.1: a PUBACK without a reason code is a success (0x00).
std::string EncodePuback(Version, uint16_t packet_id) {
  wire::Writer w;
  w.Two(packet_id);
  return w.Packet(0x40);
}

// --- SUBSCRIBE, SUBACK --------------------------------------------------------
namespace {

Status CheckOptions(Version v, Reader& r, const std::string& what, uint8_t options) {
  if ((options & 3) == 3) return r.Error(what + " " + wire::Hex(options) + " request QoS 3");
  if (!V5(v) && (options & 0xFC) != 0) {
    return r.Error(what + " " + wire::Hex(options) + " have reserved bits 2-7 set (" + VersionName(v) + ")");
  }
  if ((options & 0xC0) != 0) return r.Error(what + " " + wire::Hex(options) + " have reserved bits 6-7 set");
  if ((options >> 4 & 3) == 3) return r.Error(what + " " + wire::Hex(options) + " have Retain Handling 3");
  return Status::Ok();
}

}  // namespace

StatusOr<Subscribe> DecodeSubscribe(Version v, std::string_view body) {
  RETURN_IF_ERROR(CheckBody(PacketType::kSubscribe, body));
  Reader r("SUBSCRIBE", body);
  Subscribe s;
  RETURN_IF_ERROR(ReadPacketId(r, &s.packet_id));
  RETURN_IF_ERROR(SkipProperties(v, r, PacketType::kSubscribe));
  if (r.done()) return r.Error("no topic filter (at least one is required)");
  while (!r.done()) {
    const std::string n = std::to_string(s.subscriptions.size() + 1);
    Subscription sub;
    uint8_t options = 0;
    RETURN_IF_ERROR(r.Utf8("topic filter " + n, &sub.filter));
    RETURN_IF_ERROR(r.Byte("subscription options " + n, &options));
    RETURN_IF_ERROR(CheckOptions(v, r, "subscription options " + n, options));
    sub.qos = options & 3;
    s.subscriptions.push_back(std::move(sub));
  }
  return s;
}

std::string EncodeSubscribe(Version v, const Subscribe& s) {
  wire::Writer w;
  w.Two(s.packet_id);
  if (V5(v)) w.WriteProperties({});
  for (const Subscription& sub : s.subscriptions) {
    w.Binary(sub.filter);
    w.Byte(sub.qos & 3);
  }
  return w.Packet(0x82);
}

bool IsValidTopicFilter(std::string_view filter) {
  if (filter.empty()) return false;
  size_t start = 0;
  while (true) {
    const size_t end = filter.find('/', start);
    const std::string_view level = filter.substr(start, end == std::string_view::npos ? end : end - start);
    if (level.find_first_of("+#") != std::string_view::npos && level != "+" && level != "#") return false;
    if (level == "#" && end != std::string_view::npos) return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::string EncodeSuback(Version v, uint16_t packet_id, const std::vector<uint8_t>& codes) {
  wire::Writer w;
  w.Two(packet_id);
  if (V5(v)) w.WriteProperties({});
  for (uint8_t code : codes) w.Byte(code);
  return w.Packet(0x90);
}

// --- UNSUBSCRIBE, UNSUBACK ------------------------------------------------------

StatusOr<uint16_t> DecodeUnsubscribe(Version v, std::string_view body, size_t* filters) {
  RETURN_IF_ERROR(CheckBody(PacketType::kUnsubscribe, body));
  Reader r("UNSUBSCRIBE", body);
  uint16_t id = 0;
  RETURN_IF_ERROR(ReadPacketId(r, &id));
  RETURN_IF_ERROR(SkipProperties(v, r, PacketType::kUnsubscribe));
  if (r.done()) return r.Error("no topic filter (at least one is required)");
  size_t n = 0;
  std::string filter;
  while (!r.done()) RETURN_IF_ERROR(r.Utf8("topic filter " + std::to_string(++n), &filter));
  if (filters != nullptr) *filters = n;
  return id;
}

std::string EncodeUnsubscribe(Version v, uint16_t packet_id, const std::vector<std::string>& filters) {
  wire::Writer w;
  w.Two(packet_id);
  if (V5(v)) w.WriteProperties({});
  for (const std::string& f : filters) w.Binary(f);
  return w.Packet(0xA2);
}

// 3.1/3.1.1: the packet identifier only; 5.0: one reason code per filter
// (0x00 Success).
std::string EncodeUnsuback(Version v, uint16_t packet_id, size_t filters) {
  wire::Writer w;
  w.Two(packet_id);
  if (V5(v)) {
    w.WriteProperties({});
    for (size_t i = 0; i < filters; ++i) w.Byte(0x00);
  }
  return w.Packet(0xB0);
}

// --- PINGREQ, PINGRESP, DISCONNECT ----------------------------------------------

std::string EncodePingreq() { return wire::Writer().Packet(0xC0); }
std::string EncodePingresp() { return wire::Writer().Packet(0xD0); }

// 5.0 §3.14.2.1: the short form (no body) when the reason is 0x00.
std::string EncodeDisconnect(Version v, uint8_t reason) {
  wire::Writer w;
  if (V5(v) && reason != 0x00) {
    w.Byte(reason);
    w.WriteProperties({});
  }
  return w.Packet(0xE0);
}

StatusOr<uint8_t> DecodeDisconnect(Version v, std::string_view body) {
  Reader r("DISCONNECT", body);
  if (!V5(v)) {
    RETURN_IF_ERROR(r.End(std::string("fixed header (") + VersionName(v) + " has no body)"));
    return uint8_t{0};
  }
  uint8_t reason = 0;
  if (r.done()) return reason;
  RETURN_IF_ERROR(r.Byte("reason code", &reason));
  if (!r.done()) RETURN_IF_ERROR(SkipProperties(v, r, PacketType::kDisconnect));
  RETURN_IF_ERROR(r.End("properties"));
  return reason;
}

}  // namespace onsmqtt::mqtt
