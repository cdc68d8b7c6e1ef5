#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contract/mqtt_codec.h"
#include "contract/status.h"

// Internal to the MQTT codec (mqtt_codec.cc, mqtt_packets.cc): the packet
// table, the data types of MQTT 5.0 §1.5 read and written, properties.
namespace onsmqtt::mqtt::wire {

// --- kPacketTable (mqtt_codec.cc) -----------------------------------------
inline constexpr int kAnyFlags = -1;
enum class Body : uint8_t { kNone, kOptional, kRequired };
struct PacketInfo {
  const char* name;
  int flags;  // the fixed-header flags the type requires, or kAnyFlags
  Sender sender;
  Body body;
  uint8_t min_body;  // the shortest body any version allows
  bool v5_only;
};
// Row `type` (0..15; 0 is the reserved row).
const PacketInfo& Info(uint8_t type);
inline const PacketInfo& Info(PacketType type) { return Info(static_cast<uint8_t>(type)); }
// Empty, or what the table says is wrong with a body of `size` bytes.
std::string BodySizeError(uint8_t type, size_t size);

inline bool V5(Version v) { return v == Version::k5; }
std::string Hex(unsigned value);        // "0x2", "0x1F"
std::string Quote(std::string_view s);  // "\"ab\\x01\"", cut after 40 bytes

// A Variable Byte Integer (§1.5.5) at s[pos..]: at most 4 bytes.
enum class VarIntResult { kOk, kShort, kTooLong };
VarIntResult DecodeVarInt(std::string_view s, size_t pos, uint32_t* value, size_t* used);
// The offset of the first byte that is not well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
size_t Utf8ErrorOffset(std::string_view s);

// Reads one packet's body; every error is "<PACKET>: <what> ...".
class Reader {
 public:
  Reader(const char* packet, std::string_view bytes) : packet_(packet), bytes_(bytes) {}
  const char* packet() const { return packet_; }
  size_t left() const { return bytes_.size() - pos_; }
  bool done() const { return pos_ == bytes_.size(); }
  Status Error(std::string_view msg) const;

  Status Byte(std::string_view what, uint8_t* out);
  Status Two(std::string_view what, uint16_t* out);
  Status Four(std::string_view what, uint32_t* out);
  Status VarInt(std::string_view what, uint32_t* out);
  Status Take(std::string_view what, size_t n, std::string_view* out);
  // Two-byte length and the bytes (Binary Data, §1.5.6).
  Status Binary(std::string_view what, std::string* out);
  // Binary, well-formed UTF-8 without U+0000 (UTF-8 Encoded String, §1.5.4).
  Status Utf8(std::string_view what, std::string* out);
  std::string_view Rest();
  // An error when bytes are left: "3 bytes after the payload".
  Status End(std::string_view after) const;

 private:
  const char* packet_;
  std::string_view bytes_;
  size_t pos_ = 0;
};

// --- MQTT 5.0 properties (§2.2.2) -----------------------------------------
// Where a property block is: a packet type's bit, or the will properties.
constexpr uint32_t In(PacketType t) { return 1u << static_cast<uint8_t>(t); }
inline constexpr uint32_t kWillProperties = 1u << 16;
// The properties the codec keeps; the others are checked and skipped.
struct Properties {
  std::optional<uint32_t> session_expiry;  // 0x11
  std::optional<uint16_t> topic_alias;     // 0x23
};
// Reads a Property Length and the properties it covers: each identifier
// known, allowed in `where`, not repeated (but User Property), its value
// well-formed.
Status ReadProperties(Reader& r, uint32_t where, Properties* out);

// Builds a packet's body, then the packet.
class Writer {
 public:
  void Byte(uint8_t b) { body_.push_back(static_cast<char>(b)); }
  void Two(uint16_t v);
  void Four(uint32_t v);
  void VarInt(uint32_t v);
  void Binary(std::string_view s);  // cut to 65,535 bytes
  void Raw(std::string_view s) { body_.append(s); }
  void WriteProperties(const Properties& p);
  // The fixed header (`first_byte`, Remaining Length) and the body.
  std::string Packet(uint8_t first_byte) const;

 private:
  std::string body_;
};

}  // namespace onsmqtt::mqtt::wire
