// The fuzz target's seeds (fuzz/corpus/mqtt_codec/) through the codec:
// mosquitto-*.bin are whole sessions captured from mosquitto_pub and
// mosquitto_sub 2.0.11 (every packet the client sent), spec-*.bin packets
// written from the specs' figures; both must decode. bad-*.bin must not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "contract/mqtt_codec.h"

namespace onsmqtt::mqtt {
namespace {

namespace fs = std::filesystem;

Status DecodeOne(Version v, const Frame& f, std::string_view body) {
  switch (f.type) {
    case PacketType::kConnect:
      return DecodeConnect(body).status();
    case PacketType::kConnack:
      return DecodeConnack(v, body).status();
    case PacketType::kPublish:
      return DecodePublish(v, f.flags, body).status();
    case PacketType::kSubscribe:
      return DecodeSubscribe(v, body).status();
    case PacketType::kUnsubscribe:
      return DecodeUnsubscribe(v, body).status();
    case PacketType::kDisconnect:
      return DecodeDisconnect(v, body).status();
    default:
      return Status::Ok();  // framed is all the codec does with the others
  }
}

// Every packet of `bytes`, the version taken from its CONNECT (else 5.0 for
// names with "5", else 3.1.1); the first error.
Status DecodeAll(const std::string& name, std::string_view bytes, size_t* packets) {
  Version v = name.find('5') != std::string::npos ? Version::k5 : Version::k311;
  *packets = 0;
  while (!bytes.empty()) {
    Frame f;
    std::string error;
    const FrameState state = ReadFrame(bytes, kDefaultMaxPacket, &f, &error);
    if (state != FrameState::kComplete) return Status::InvalidArgument("frame: " + error);
    const std::string_view body = bytes.substr(f.header_bytes, f.body_bytes);
    if (f.type == PacketType::kConnect) {
      StatusOr<Connect> c = DecodeConnect(body);
      if (c.ok()) v = c->version;
    }
    RETURN_IF_ERROR(DecodeOne(v, f, body));
    bytes.remove_prefix(f.total());
    ++*packets;
  }
  return Status::Ok();
}

TEST(MqttCorpus, SeedsDecodeAsTheirNamesSay) {
  const fs::path dir = fs::path(ONSMQTT_SOURCE_DIR) / "fuzz" / "corpus" / "mqtt_codec";
  size_t files = 0;
  size_t mosquitto = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t packets = 0;
    const Status s = DecodeAll(name, bytes, &packets);
    if (name.rfind("bad-", 0) == 0) {
      EXPECT_FALSE(s.ok()) << name;
      EXPECT_FALSE(s.message().empty()) << name;
    } else {
      EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
      EXPECT_GE(packets, 1u) << name;
    }
    if (name.rfind("mosquitto-", 0) == 0) {
      ++mosquitto;
      EXPECT_GE(packets, 3u) << name << ": CONNECT, at least one packet, DISCONNECT";
    }
    ++files;
  }
  EXPECT_GE(files, 20u);
  EXPECT_EQ(mosquitto, 8u);
}

}  // namespace
}  // namespace onsmqtt::mqtt
