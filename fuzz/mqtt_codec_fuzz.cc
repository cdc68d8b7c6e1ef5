// The MQTT codec (contract/mqtt_codec.h): what the mock's listener does with
// every byte a device sends. The input is a stream of packets; each frame
// ReadFrame finds goes to the decoder its type selects, for every Version.
// Invariants:
//   - ReadFrame: a complete frame fits the input, every proper prefix of it
//     is kNeedMore, and kMalformed/kTooLarge say why;
//   - errors have a message; *unsupported_level only with an error;
//   - what decodes encodes to one whole frame of the same type that decodes
//     back to the same fields (CONNECT, CONNACK, PUBLISH, SUBSCRIBE, the
//     packet identifier and filter count of UNSUBSCRIBE, DISCONNECT).
#include <cstdint>
#include <string>

#include "contract/mqtt_codec.h"
#include "fuzz/fuzz_util.h"

namespace {

using namespace onsmqtt::mqtt;
using onsmqtt::fuzz::Fail;

// The body of `packet`, which must be one whole frame of `type`.
std::string Reframe(const std::string& packet, PacketType type, uint8_t* flags = nullptr) {
  Frame f;
  std::string error;
  if (ReadFrame(packet, kDefaultMaxPacket, &f, &error) != FrameState::kComplete || f.total() != packet.size()) {
    Fail(std::string("an encoded ") + PacketTypeName(type) + " is not one whole frame: " + error);
  }
  if (f.type != type) Fail(std::string("encoded ") + PacketTypeName(type) + " frames as " + PacketTypeName(f.type));
  if (flags != nullptr) *flags = f.flags;
  return packet.substr(f.header_bytes);
}

template <typename T>
bool Decoded(const onsmqtt::StatusOr<T>& got, const char* what) {
  onsmqtt::fuzz::CheckError(got.status(), what);
  return got.ok();
}

void RoundTripConnect(std::string_view body) {
  bool unsupported = false;
  onsmqtt::StatusOr<Connect> c = DecodeConnect(body, &unsupported);
  if (c.ok() && unsupported) Fail("CONNECT decoded with unsupported_level set");
  if (!Decoded(c, "DecodeConnect")) return;
  onsmqtt::StatusOr<Connect> back = DecodeConnect(Reframe(EncodeConnect(*c), PacketType::kConnect));
  if (!back.ok() || !(*back == *c)) Fail("CONNECT does not round-trip: " + back.status().message());
}

void RoundTrip(Version v, const Frame& f, std::string_view body) {
  uint8_t flags = 0;
  switch (f.type) {
    case PacketType::kConnack:
      if (auto c = DecodeConnack(v, body); Decoded(c, "DecodeConnack")) {
        auto back = DecodeConnack(v, Reframe(EncodeConnack(v, *c), f.type));
        if (!back.ok() || !(*back == *c)) Fail("CONNACK does not round-trip: " + back.status().message());
      }
      break;
    case PacketType::kPublish:
      if (auto p = DecodePublish(v, f.flags, body); Decoded(p, "DecodePublish")) {
        const std::string again = Reframe(EncodePublish(v, *p), f.type, &flags);
        auto back = DecodePublish(v, flags, again);
        if (!back.ok() || !(*back == *p)) Fail("PUBLISH does not round-trip: " + back.status().message());
      }
      break;
    case PacketType::kSubscribe:
      if (auto s = DecodeSubscribe(v, body); Decoded(s, "DecodeSubscribe")) {
        auto back = DecodeSubscribe(v, Reframe(EncodeSubscribe(v, *s), f.type));
        if (!back.ok() || !(*back == *s)) Fail("SUBSCRIBE does not round-trip: " + back.status().message());
        IsValidTopicFilter(s->subscriptions.front().filter);
        Reframe(EncodeSuback(v, s->packet_id, std::vector<uint8_t>(s->subscriptions.size(), 0x80)),
                PacketType::kSuback);
      }
      break;
    case PacketType::kUnsubscribe: {
      size_t n = 0;
      if (auto id = DecodeUnsubscribe(v, body, &n); Decoded(id, "DecodeUnsubscribe")) {
        size_t m = 0;
        auto back =
            DecodeUnsubscribe(v, Reframe(EncodeUnsubscribe(v, *id, std::vector<std::string>(n, "f")), f.type), &m);
        if (!back.ok() || *back != *id || m != n) Fail("UNSUBSCRIBE does not round-trip: " + back.status().message());
        Reframe(EncodeUnsuback(v, *id, n), PacketType::kUnsuback);
      }
      break;
    }
    case PacketType::kDisconnect:
      if (auto r = DecodeDisconnect(v, body); Decoded(r, "DecodeDisconnect")) {
        auto back = DecodeDisconnect(v, Reframe(EncodeDisconnect(v, *r), f.type));
        if (!back.ok() || *back != *r) Fail("DISCONNECT does not round-trip: " + back.status().message());
      }
      break;
    default:
      break;
  }
}

// Checks ReadFrame on `buf`; true (and *f) when a whole frame starts it.
bool NextFrame(std::string_view buf, Frame* f) {
  std::string error;
  const FrameState state = ReadFrame(buf, kDefaultMaxPacket, f, &error);
  if (state == FrameState::kMalformed || state == FrameState::kTooLarge) {
    if (error.empty()) Fail("ReadFrame rejected a frame without saying why");
    return false;
  }
  if (state == FrameState::kNeedMore) return false;
  if (f->total() > buf.size() || f->header_bytes < 2 || f->header_bytes > 5) Fail("a complete frame overruns");
  Frame g;
  for (size_t n = 0; n < f->total(); ++n) {
    if (ReadFrame(buf.substr(0, n), kDefaultMaxPacket, &g) != FrameState::kNeedMore) {
      Fail("a proper prefix of a complete frame is not kNeedMore");
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = onsmqtt::fuzz::Bytes(data, size);
  Frame f;
  while (NextFrame(rest, &f)) {
    const std::string_view body = rest.substr(f.header_bytes, f.body_bytes);
    if (f.type == PacketType::kConnect) RoundTripConnect(body);
    for (Version v : {Version::k31, Version::k311, Version::k5}) RoundTrip(v, f, body);
    rest.remove_prefix(f.total());
  }
  return 0;
}
