#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/status.h"

// The MQTT packets the device side of the contract needs, for both ends:
// the mock's listener decodes CONNECT, PUBLISH, SUBSCRIBE, PINGREQ and
// DISCONNECT and encodes their answers; the runner, acting as a device,
// encodes CONNECT and decodes CONNACK. MQTT 3.1 ("MQIsdp", level 3), 3.1.1
// (level 4) and 5.0 (level 5); OASIS MQTT 3.1.1 §2-3, MQTT 5.0 §2-3.
//
// Pure functions over bytes, no I/O. What each packet type may carry (its
// fixed-header flags, who sends it, whether it has a body) is one table in
// the .cc (kPacketTable); every decoder checks its input against the table
// and the spec, and answers kInvalidArgument with what is wrong
// ("SUBSCRIBE: fixed-header flags 0x0 (must be 0x2)"). Nothing here throws
// or reads past its input. MQTT 5.0 properties are checked for well-formed
// lengths and skipped, except the few named below.
namespace onsmqtt::mqtt {

enum class PacketType : uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kUnsubscribe = 10,
  kUnsuback = 11,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
  kAuth = 15,  // 5.0 only
};
const char* PacketTypeName(PacketType type);  // "CONNECT", ...
// Who may send a packet type (kPacketTable). DISCONNECT is kBoth: 5.0 lets
// the server send it too; AUTH exists in 5.0 only.
enum class Sender : uint8_t { kClient = 1, kServer = 2, kBoth = 3 };
Sender PacketSender(PacketType type);

// The protocol level byte of CONNECT.
enum class Version : uint8_t { k31 = 3, k311 = 4, k5 = 5 };
const char* VersionName(Version v);  // "3.1", "3.1.1", "5.0"
// "3.1", "3.1.1", "5.0" (also "5", "mqttv31", "mqttv311", "mqttv5").
std::optional<Version> ParseVersion(std::string_view name);

// CONNACK codes this project uses. 3.1/3.1.1 return codes (§3.2.2.3) and
// the 5.0 reason codes (§3.2.2.2) they correspond to.
inline constexpr uint8_t kConnackAccepted = 0x00;
inline constexpr uint8_t kConnackBadProtocolVersion = 0x01;  // 5.0: 0x84
inline constexpr uint8_t kConnackIdentifierRejected = 0x02;  // 5.0: 0x85
inline constexpr uint8_t kConnackNotAuthorized = 0x05;       // 5.0: 0x87
inline constexpr uint8_t kReasonUnsupportedVersion = 0x84;
inline constexpr uint8_t kReasonClientIdNotValid = 0x85;
inline constexpr uint8_t kReasonNotAuthorized = 0x87;
inline constexpr uint8_t kReasonMalformedPacket = 0x81;
inline constexpr uint8_t kReasonProtocolError = 0x82;
// The code meaning "not authorized" in `v` (0x05, or 0x87 in 5.0).
uint8_t NotAuthorizedCode(Version v);

// Largest packet (fixed header included) this implementation accepts by
// default; callers pass their own limit to ReadFrame.
inline constexpr size_t kDefaultMaxPacket = 64 * 1024;
// The longest client identifier the contract allows (GroupID@@@DeviceID).
inline constexpr size_t kMaxClientId = 64;

// One packet's fixed header, as found at the start of a buffer.
struct Frame {
  PacketType type = PacketType::kConnect;
  uint8_t flags = 0;        // the low four bits of the first byte
  size_t header_bytes = 0;  // 2..5: type byte plus the Remaining Length
  size_t body_bytes = 0;    // the Remaining Length
  size_t total() const { return header_bytes + body_bytes; }
};

enum class FrameState {
  kNeedMore,   // the header or the body is not complete yet
  kComplete,   // *frame describes a whole packet at the start of `buf`
  kMalformed,  // reserved type 0, a bad Remaining Length, flags the table forbids,
               // or a body size the table forbids (a PINGREQ with a body)
  kTooLarge,   // total() would exceed `max_packet`
};
// Looks at the start of `buf`. On kMalformed/kTooLarge, *error (when not
// null) says why. Never reads past `buf`. *frame is set as soon as the
// fixed header is complete (also on kNeedMore for the body, and kTooLarge).
// Version independent: the 3.1.1/5.0 flags are required of 3.1 clients too,
// and AUTH (type 15) passes; the caller rejects it below 5.0.
FrameState ReadFrame(std::string_view buf, size_t max_packet, Frame* frame, std::string* error = nullptr);

// --- CONNECT (§3.1) -------------------------------------------------------
struct Connect {
  Version version = Version::k311;
  bool clean_session = true;  // 5.0: Clean Start
  uint16_t keep_alive = 60;   // seconds; 0: no keep-alive
  std::string client_id;
  std::optional<std::string> username;
  std::optional<std::string> password;  // binary data
  bool will = false;
  std::string will_topic;
  std::string will_payload;
  uint8_t will_qos = 0;
  bool will_retain = false;
  // 5.0: Session Expiry Interval (property 0x11), when sent.
  std::optional<uint32_t> session_expiry;
  bool operator==(const Connect&) const = default;
};
// `body` is the packet after its fixed header. A protocol name and level
// that do not match (e.g. "MQTT" with level 3, or an unknown level) are
// kInvalidArgument with "unsupported protocol" in the message and
// *unsupported_level (when not null) set to true, so the caller can answer
// CONNACK 0x01 / 0x84 instead of dropping the connection.
// The client identifier's policy (empty without clean session, longer than
// kMaxClientId) is the caller's: those are CONNACK codes, not malformed.
StatusOr<Connect> DecodeConnect(std::string_view body, bool* unsupported_level = nullptr);
// The whole packet, fixed header included. The encoders write what they are
// given, also flag combinations the decoder rejects (a test may want to
// send those); strings and binary data are cut to 65,535 bytes.
std::string EncodeConnect(const Connect& connect);

// --- CONNACK (§3.2) -------------------------------------------------------
struct Connack {
  bool session_present = false;
  uint8_t code = 0;  // return code (3.1/3.1.1) or reason code (5.0)
  bool operator==(const Connack&) const = default;
};
std::string EncodeConnack(Version v, const Connack& connack);
StatusOr<Connack> DecodeConnack(Version v, std::string_view body);

// --- PUBLISH (§3.3), PUBACK (§3.4) ----------------------------------------
struct Publish {
  uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
  std::string topic;
  uint16_t packet_id = 0;  // QoS 1 and 2 only
  std::string payload;
  // 5.0: Topic Alias (property 0x23), 0 when absent; with an alias the
  // topic may be empty (the receiver maps the alias to its topic).
  uint16_t topic_alias = 0;
  bool operator==(const Publish&) const = default;
};
// `flags` is Frame::flags of the PUBLISH.
StatusOr<Publish> DecodePublish(Version v, uint8_t flags, std::string_view body);
std::string EncodePublish(Version v, const Publish& publish);
std::string EncodePuback(Version v, uint16_t packet_id);

// --- SUBSCRIBE (§3.8), SUBACK (§3.9) --------------------------------------
struct Subscription {
  std::string filter;
  uint8_t qos = 0;  // the requested maximum QoS (5.0: bits 0-1 of the options)
  bool operator==(const Subscription&) const = default;
};
struct Subscribe {
  uint16_t packet_id = 0;
  std::vector<Subscription> subscriptions;  // at least one
  bool operator==(const Subscribe&) const = default;
};
// Checks the encoding (UTF-8, options bits); whether a filter is a valid
// filter is IsValidTopicFilter's, answered per subscription in SUBACK.
StatusOr<Subscribe> DecodeSubscribe(Version v, std::string_view body);
// The client's side (5.0: no properties, options = the QoS).
std::string EncodeSubscribe(Version v, const Subscribe& subscribe);
// Not empty, '#' only as the whole last level, '+' only as a whole level
// (MQTT 3.1.1 §4.7.1).
bool IsValidTopicFilter(std::string_view filter);
// One return/reason code per subscription: the granted QoS, or 0x80.
std::string EncodeSuback(Version v, uint16_t packet_id, const std::vector<uint8_t>& codes);

// --- UNSUBSCRIBE (§3.10), UNSUBACK (§3.11) --------------------------------
StatusOr<uint16_t> DecodeUnsubscribe(Version v, std::string_view body, size_t* filters = nullptr);
std::string EncodeUnsuback(Version v, uint16_t packet_id, size_t filters);
std::string EncodeUnsubscribe(Version v, uint16_t packet_id, const std::vector<std::string>& filters);

// --- PINGREQ, PINGRESP, DISCONNECT (§3.12-3.14) -----------------------------
std::string EncodePingreq();
std::string EncodePingresp();
// 3.1/3.1.1: no body. 5.0: the reason code (0x00 normal disconnection).
std::string EncodeDisconnect(Version v, uint8_t reason = 0x00);
// The reason code of a DISCONNECT's body: 3.1/3.1.1 have none (0x00); 5.0
// may omit it (0x00) and its properties.
StatusOr<uint8_t> DecodeDisconnect(Version v, std::string_view body);

}  // namespace onsmqtt::mqtt
