// The listener's conversation with one device (mock_server/mqtt/session.h):
// arbitrary bytes, fed in pieces whose sizes come from the input, to a
// Session that accepts or refuses CONNECTs by their client id. Invariants:
//   - every answer the session writes is a sequence of whole packets of the
//     kinds a server sends (CONNACK, PINGRESP, SUBACK, PUBACK, UNSUBACK,
//     DISCONNECT), the first of them a CONNACK;
//   - a session that said "close" says it again and writes nothing more;
//   - what it buffers never exceeds the packet limit.
#include <cstdint>
#include <string>

#include "contract/mqtt_codec.h"
#include "fuzz/fuzz_util.h"
#include "mock_server/mqtt/session.h"

namespace {

using namespace onsmqtt::mqtt;
using onsmqtt::fuzz::Fail;
using onsmqtt::mock::Session;

constexpr size_t kMaxPacket = 4096;

bool ServerSends(PacketType t) {
  return t == PacketType::kConnack || t == PacketType::kPingresp || t == PacketType::kSuback ||
         t == PacketType::kPuback || t == PacketType::kUnsuback || t == PacketType::kDisconnect;
}

void CheckAnswer(const std::string& bytes, bool* saw_connack) {
  size_t at = 0;
  while (at < bytes.size()) {
    Frame f;
    std::string error;
    if (ReadFrame(std::string_view(bytes).substr(at), kDefaultMaxPacket, &f, &error) != FrameState::kComplete) {
      Fail("the session wrote a partial or malformed packet: " + error);
    }
    if (!ServerSends(f.type)) Fail(std::string("the session wrote ") + PacketTypeName(f.type));
    if (!*saw_connack && f.type != PacketType::kConnack) Fail("the first answer is not a CONNACK");
    *saw_connack = true;
    at += f.total();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Session session(
      [](const Connect& c) {
        if (c.client_id.size() % 2 == 0) return Session::Verdict{true, std::nullopt};
        if (c.client_id.size() % 3 == 0) return Session::Verdict{false, std::nullopt};
        return Session::Verdict{false, NotAuthorizedCode(c.version)};
      },
      kMaxPacket);
  const size_t piece = 1 + data[0] % 64;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  bool closed = false;
  bool saw_connack = false;
  for (size_t at = 0; at < input.size(); at += piece) {
    Session::Output out = session.Feed(std::string_view(input).substr(at, piece));
    if (closed && (!out.close || !out.bytes.empty())) Fail("a closed session answered again");
    CheckAnswer(out.bytes, &saw_connack);
    if (session.buffered() > kMaxPacket) Fail("the session buffers more than one packet's limit");
    closed = closed || out.close;
  }
  return 0;
}
