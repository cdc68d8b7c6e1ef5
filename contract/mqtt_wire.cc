#include "contract/mqtt_wire.h"

#include <cstdio>

namespace onsmqtt::mqtt::wire {

std::string Hex(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", value);
  return buf;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + (s.size() > 40 ? "\"..." : "\"");
}

VarIntResult DecodeVarInt(std::string_view s, size_t pos, uint32_t* value, size_t* used) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (pos + i >= s.size()) return VarIntResult::kShort;
    const auto b = static_cast<uint8_t>(s[pos + i]);
    v |= static_cast<uint32_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      *value = v;
      *used = i + 1;
      return VarIntResult::kOk;
    }
  }
  return VarIntResult::kTooLong;
}

size_t Utf8ErrorOffset(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<uint8_t>(s[i]);
    size_t n = 0;       // continuation bytes
    uint8_t lo = 0x80;  // the range of the first continuation byte
    uint8_t hi = 0xBF;
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // U+D800..U+DFFF
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (s.size() - i <= n) return i;
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

// --- Reader ---------------------------------------------------------------

Status Reader::Error(std::string_view msg) const {
  return Status::InvalidArgument(std::string(packet_) + ": " + std::string(msg));
}

Status Reader::Take(std::string_view what, size_t n, std::string_view* out) {
  if (n > left()) {
    return Error(std::string(what) + " needs " + std::to_string(n) + " bytes, " + std::to_string(left()) + " left");
  }
  *out = bytes_.substr(pos_, n);
  pos_ += n;
  return Status::Ok();
}

Status Reader::Byte(std::string_view what, uint8_t* out) {
  std::string_view b;
  RETURN_IF_ERROR(Take(what, 1, &b));
  *out = static_cast<uint8_t>(b[0]);
  return Status::Ok();
}

Status Reader::Two(std::string_view what, uint16_t* out) {
  std::string_view b;
  RETURN_IF_ERROR(Take(what, 2, &b));
  *out = static_cast<uint16_t>(static_cast<uint8_t>(b[0]) << 8 | static_cast<uint8_t>(b[1]));
  return Status::Ok();
}

Status Reader::Four(std::string_view what, uint32_t* out) {
  std::string_view b;
  RETURN_IF_ERROR(Take(what, 4, &b));
  *out = 0;
  for (char c : b) *out = *out << 8 | static_cast<uint8_t>(c);
  return Status::Ok();
}

Status Reader::VarInt(std::string_view what, uint32_t* out) {
  size_t used = 0;
  switch (DecodeVarInt(bytes_, pos_, out, &used)) {
    case VarIntResult::kOk:
      pos_ += used;
      return Status::Ok();
    case VarIntResult::kShort:
      return Error(std::string(what) + " is cut off after " + std::to_string(left()) + " bytes");
    case VarIntResult::kTooLong:
      break;
  }
  return Error(std::string(what) + " longer than 4 bytes");
}

Status Reader::Binary(std::string_view what, std::string* out) {
  uint16_t n = 0;
  RETURN_IF_ERROR(Two(std::string(what) + " length", &n));
  if (n > left()) {
    return Error(std::string(what) + " length " + std::to_string(n) + " exceeds the remaining " +
                 std::to_string(left()) + " bytes");
  }
  out->assign(bytes_.substr(pos_, n));
  pos_ += n;
  return Status::Ok();
}

Status Reader::Utf8(std::string_view what, std::string* out) {
  RETURN_IF_ERROR(Binary(what, out));
  if (size_t bad = Utf8ErrorOffset(*out); bad != std::string_view::npos) {
    return Error(std::string(what) + " is not well-formed UTF-8 (byte " + Hex(static_cast<uint8_t>((*out)[bad])) +
                 " at offset " + std::to_string(bad) + ")");
  }
  if (size_t nul = out->find('\0'); nul != std::string::npos) {
    return Error(std::string(what) + " contains U+0000 at offset " + std::to_string(nul));
  }
  return Status::Ok();
}

std::string_view Reader::Rest() {
  std::string_view rest = bytes_.substr(pos_);
  pos_ = bytes_.size();
  return rest;
}

Status Reader::End(std::string_view after) const {
  if (done()) return Status::Ok();
  return Error(std::to_string(left()) + (left() == 1 ? " byte" : " bytes") + " after the " + std::string(after));
}

// --- Properties -------------------------------------------------------------

namespace {

enum class Type : uint8_t { kByte, kTwo, kFour, kVarInt, kUtf8, kBinary, kPair };
struct PropertyInfo {
  uint8_t id;
  const char* name;
  Type type;
  uint32_t where;
};
using T = PacketType;
constexpr uint32_t kPublishOrWill = In(T::kPublish) | kWillProperties;
constexpr uint32_t kAuthPackets = In(T::kConnect) | In(T::kConnack) | In(T::kAuth);
constexpr uint32_t kAcks = In(T::kPuback) | In(T::kPubrec) | In(T::kPubrel) | In(T::kPubcomp) | In(T::kSuback) |
                           In(T::kUnsuback) | In(T::kConnack) | In(T::kDisconnect) | In(T::kAuth);
constexpr uint32_t kEverywhere = 0xFFFFu << 1 | kWillProperties;
// MQTT 5.0 §2.2.2.2, Table 2-4.
constexpr PropertyInfo kPropertyTable[] = {
    {0x01, "Payload Format Indicator", Type::kByte, kPublishOrWill},
    {0x02, "Message Expiry Interval", Type::kFour, kPublishOrWill},
    {0x03, "Content Type", Type::kUtf8, kPublishOrWill},
    {0x08, "Response Topic", Type::kUtf8, kPublishOrWill},
    {0x09, "Correlation Data", Type::kBinary, kPublishOrWill},
    {0x0B, "Subscription Identifier", Type::kVarInt, In(T::kPublish) | In(T::kSubscribe)},
    {0x11, "Session Expiry Interval", Type::kFour, In(T::kConnect) | In(T::kConnack) | In(T::kDisconnect)},
    {0x12, "Assigned Client Identifier", Type::kUtf8, In(T::kConnack)},
    {0x13, "Server Keep Alive", Type::kTwo, In(T::kConnack)},
    {0x15, "Authentication Method", Type::kUtf8, kAuthPackets},
    {0x16, "Authentication Data", Type::kBinary, kAuthPackets},
    {0x17, "Request Problem Information", Type::kByte, In(T::kConnect)},
    {0x18, "Will Delay Interval", Type::kFour, kWillProperties},
    {0x19, "Request Response Information", Type::kByte, In(T::kConnect)},
    {0x1A, "Response Information", Type::kUtf8, In(T::kConnack)},
    {0x1C, "Server Reference", Type::kUtf8, In(T::kConnack) | In(T::kDisconnect)},
    {0x1F, "Reason String", Type::kUtf8, kAcks},
    {0x21, "Receive Maximum", Type::kTwo, In(T::kConnect) | In(T::kConnack)},
    {0x22, "Topic Alias Maximum", Type::kTwo, In(T::kConnect) | In(T::kConnack)},
    {0x23, "Topic Alias", Type::kTwo, In(T::kPublish)},
    {0x24, "Maximum QoS", Type::kByte, In(T::kConnack)},
    {0x25, "Retain Available", Type::kByte, In(T::kConnack)},
    {0x26, "User Property", Type::kPair, kEverywhere},
    {0x27, "Maximum Packet Size", Type::kFour, In(T::kConnect) | In(T::kConnack)},
    {0x28, "Wildcard Subscription Available", Type::kByte, In(T::kConnack)},
    {0x29, "Subscription Identifier Available", Type::kByte, In(T::kConnack)},
    {0x2A, "Shared Subscription Available", Type::kByte, In(T::kConnack)},
};

const PropertyInfo* FindProperty(uint8_t id) {
  for (const PropertyInfo& p : kPropertyTable) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// Reads one value of `type`; *number gets the integer ones.
Status ReadValue(Reader& r, Type type, const std::string& what, uint32_t* number) {
  uint8_t b = 0;
  uint16_t two = 0;
  std::string text;
  switch (type) {
    case Type::kByte:
      RETURN_IF_ERROR(r.Byte(what, &b));
      *number = b;
      return Status::Ok();
    case Type::kTwo:
      RETURN_IF_ERROR(r.Two(what, &two));
      *number = two;
      return Status::Ok();
    case Type::kFour:
      return r.Four(what, number);
    case Type::kVarInt:
      return r.VarInt(what, number);
    case Type::kUtf8:
      return r.Utf8(what, &text);
    case Type::kBinary:
      return r.Binary(what, &text);
    case Type::kPair:
      RETURN_IF_ERROR(r.Utf8(what + " name", &text));
      return r.Utf8(what + " value", &text);
  }
  return r.Error("unknown property type");
}

}  // namespace

Status ReadProperties(Reader& r, uint32_t where, Properties* out) {
  const std::string block = where == kWillProperties ? "will properties" : "properties";
  uint32_t length = 0;
  std::string_view bytes;
  RETURN_IF_ERROR(r.VarInt(block + " length", &length));
  if (length > r.left()) {
    return r.Error(block + " length " + std::to_string(length) + " exceeds the remaining " + std::to_string(r.left()) +
                   " bytes");
  }
  RETURN_IF_ERROR(r.Take(block, length, &bytes));
  Reader p(r.packet(), bytes);
  uint64_t seen = 0;
  while (!p.done()) {
    uint8_t id = 0;
    RETURN_IF_ERROR(p.Byte(block + ": property identifier", &id));
    const PropertyInfo* info = FindProperty(id);
    if (info == nullptr) return p.Error(block + ": unknown property " + Hex(id));
    const std::string what = block + ": property " + Hex(id) + " (" + info->name + ")";
    if ((info->where & where) == 0) return p.Error(what + " is not allowed here");
    const bool repeats = id == 0x26 || (id == 0x0B && where == In(PacketType::kPublish));
    if ((seen >> id & 1) != 0 && !repeats) return p.Error(what + " appears twice");
    seen |= uint64_t{1} << id;
    uint32_t number = 0;
    RETURN_IF_ERROR(ReadValue(p, info->type, what, &number));
    if (id == 0x11) out->session_expiry = number;
    if (id == 0x23) out->topic_alias = static_cast<uint16_t>(number);
  }
  return Status::Ok();
}

// --- Writer -----------------------------------------------------------------

void Writer::Two(uint16_t v) {
  Byte(static_cast<uint8_t>(v >> 8));
  Byte(static_cast<uint8_t>(v));
}

void Writer::Four(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) Byte(static_cast<uint8_t>(v >> shift));
}

void Writer::VarInt(uint32_t v) {
  do {
    const auto digit = static_cast<uint8_t>(v & 0x7F);
    v >>= 7;
    Byte(v != 0 ? digit | 0x80 : digit);
  } while (v != 0);
}

void Writer::Binary(std::string_view s) {
  s = s.substr(0, 0xFFFF);
  Two(static_cast<uint16_t>(s.size()));
  Raw(s);
}

void Writer::WriteProperties(const Properties& p) {
  Writer props;
  if (p.session_expiry) {
    props.Byte(0x11);
    props.Four(*p.session_expiry);
  }
  if (p.topic_alias) {
    props.Byte(0x23);
    props.Two(*p.topic_alias);
  }
  VarInt(static_cast<uint32_t>(props.body_.size()));
  Raw(props.body_);
}

std::string Writer::Packet(uint8_t first_byte) const {
  Writer header;
  header.Byte(first_byte);
  header.VarInt(static_cast<uint32_t>(body_.size()));
  return header.body_ + body_;
}

}  // namespace onsmqtt::mqtt::wire
