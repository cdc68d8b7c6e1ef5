// The fixed header, CONNECT and CONNACK (contract/mqtt_codec.cc); the other
// packets are in mqtt_packets_test.cc. Packets are hand-written from the
// OASIS specs' figures.
#include "contract/mqtt_codec.h"

#include <gtest/gtest.h>

#include "contract/mqtt_test_util.h"

namespace onsmqtt::mqtt {
namespace {

using mqtt_test::BadCase;
using mqtt_test::Body;
using mqtt_test::ExpectRejected;
using mqtt_test::H;

// 3.1.1, client "abc", clean session, keep alive 60.
const std::string kConnect311 = H("10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63");
// 3.1: "MQIsdp" level 3.
const std::string kConnect31 = H("10 11 00 06 4d 51 49 73 64 70 03 02 00 3c 00 03 61 62 63");
// 5.0, user name "u", password "p"; Session Expiry 120, Receive Maximum 20.
const std::string kConnect5 =
    H("10 1e 00 04 4d 51 54 54 05 c2 00 3c 08 11 00 00 00 78 21 00 14 00 03 61 62 63 00 01 75 00 01 70");
// 3.1.1, will "w/t" "bye" QoS 1 retained, user "user", password "pw".
const std::string kConnectWill311 =
    H("10 23 00 04 4d 51 54 54 04 ee 00 3c 00 03 61 62 63 00 03 77 2f 74 00 03 62 79 65 00 04 75 73 65 72 00 02 70 77");
// 5.0, will with Will Delay Interval 5.
const std::string kConnectWill5 =
    H("10 20 00 04 4d 51 54 54 05 06 00 3c 00 00 03 61 62 63 05 18 00 00 00 05 00 03 77 2f 74 00 03 62 79 65");

TEST(MqttFrame, ReadsEveryPacketAndNeedsMoreForEachPrefix) {
  std::vector<std::string> packets = {kConnect311,     kConnect31,    kConnect5,
                                      kConnectWill311, kConnectWill5, H("30 80 01") + std::string(128, 'x')};
  for (const char* hex :
       {"20 02 00 00", "30 07 00 03 61 2f 62 68 69", "32 09 00 03 61 2f 62 00 0a 68 69", "40 02 00 0a", "62 02 00 0a",
        "82 08 00 01 00 03 61 2f 23 01", "90 03 00 01 01", "a2 07 00 02 00 03 61 2f 23", "b0 02 00 02", "c0 00",
        "d0 00", "e0 00", "e0 01 04", "f0 00"}) {
    packets.push_back(H(hex));
  }
  for (const std::string& p : packets) {
    Frame f;
    ASSERT_EQ(ReadFrame(p, kDefaultMaxPacket, &f), FrameState::kComplete) << ::testing::PrintToString(p);
    EXPECT_EQ(f.total(), p.size());
    EXPECT_EQ(f.type, static_cast<PacketType>(static_cast<uint8_t>(p[0]) >> 4));
    EXPECT_EQ(f.flags, static_cast<uint8_t>(p[0]) & 0x0F);
    for (size_t n = 0; n < p.size(); ++n) {
      EXPECT_EQ(ReadFrame(p.substr(0, n), kDefaultMaxPacket, &f), FrameState::kNeedMore) << n << " of " << p.size();
    }
    EXPECT_EQ(ReadFrame(p + kConnect311, kDefaultMaxPacket, &f), FrameState::kComplete);
    EXPECT_EQ(f.total(), p.size()) << "the next packet is not part of this one";
  }
  Frame f;
  ASSERT_EQ(ReadFrame(H("30 80 01"), kDefaultMaxPacket, &f), FrameState::kNeedMore);
  EXPECT_EQ(f.header_bytes, 3u);
  EXPECT_EQ(f.body_bytes, 128u);
}

TEST(MqttFrame, RejectsWhatTheTableForbids) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {H("00 00"), "reserved packet type 0"},
      {H("80 05 00 01 00 00 00"), "SUBSCRIBE: fixed-header flags 0x0 (must be 0x2)"},
      {H("a0 04 00 01 00 00"), "UNSUBSCRIBE: fixed-header flags 0x0 (must be 0x2)"},
      {H("60 02 00 01"), "PUBREL: fixed-header flags 0x0 (must be 0x2)"},
      {H("11 00"), "CONNECT: fixed-header flags 0x1 (must be 0x0)"},
      {H("c8 00"), "PINGREQ: fixed-header flags 0x8 (must be 0x0)"},
      {H("30 ff ff ff ff 01"), "PUBLISH: Remaining Length longer than 4 bytes"},
      {H("30 ff ff ff 80"), "Remaining Length longer than 4 bytes"},
      {H("c0 01 00"), "PINGREQ: Remaining Length 1 (must be 0)"},
      {H("d0 02 00 00"), "PINGRESP: Remaining Length 2 (must be 0)"},
      {H("82 02 00 01"), "SUBSCRIBE: Remaining Length 2 is below the minimum 5"},
      {H("10 0a 00 04 4d 51 54 54 04 02 00 3c"), "CONNECT: Remaining Length 10 is below the minimum 12"},
      {H("20 00"), "CONNACK: Remaining Length 0 is below the minimum 2"},
  };
  for (const auto& [bytes, message] : cases) {
    Frame f;
    std::string error;
    EXPECT_EQ(ReadFrame(bytes, kDefaultMaxPacket, &f, &error), FrameState::kMalformed) << message;
    EXPECT_NE(error.find(message), std::string::npos) << error;
    EXPECT_EQ(ReadFrame(bytes.substr(0, 1), kDefaultMaxPacket, &f) == FrameState::kMalformed,
              message.find("flags") != std::string::npos || message.find("type 0") != std::string::npos)
        << "type and flags are judged on the first byte: " << message;
  }
}

TEST(MqttFrame, TooLargeBeforeTheBodyArrives) {
  Frame f;
  std::string error;
  EXPECT_EQ(ReadFrame(H("30 ff ff ff 7f"), kDefaultMaxPacket, &f, &error), FrameState::kTooLarge);
  EXPECT_EQ(f.body_bytes, 268435455u);
  EXPECT_NE(error.find("268435460 bytes exceed the limit of 65536"), std::string::npos) << error;
  EXPECT_EQ(ReadFrame(H("30 09"), 11, &f, &error), FrameState::kNeedMore);
  EXPECT_EQ(ReadFrame(H("30 0a"), 11, &f, &error), FrameState::kTooLarge);
  EXPECT_EQ(ReadFrame("", 11, &f, &error), FrameState::kNeedMore);
}

TEST(MqttNames, TypesSendersAndVersions) {
  EXPECT_STREQ(PacketTypeName(PacketType::kSubscribe), "SUBSCRIBE");
  EXPECT_STREQ(PacketTypeName(PacketType::kAuth), "AUTH");
  EXPECT_STREQ(PacketTypeName(static_cast<PacketType>(0)), "reserved type 0");
  EXPECT_STREQ(PacketTypeName(static_cast<PacketType>(200)), "reserved type 0");
  EXPECT_EQ(PacketSender(PacketType::kConnect), Sender::kClient);
  EXPECT_EQ(PacketSender(PacketType::kSuback), Sender::kServer);
  EXPECT_EQ(PacketSender(PacketType::kPublish), Sender::kBoth);
  const std::vector<std::pair<std::string, std::optional<Version>>> names = {
      {"3.1", Version::k31}, {"mqttv31", Version::k31}, {"3.1.1", Version::k311}, {"mqttv311", Version::k311},
      {"5.0", Version::k5},  {"5", Version::k5},        {"mqttv5", Version::k5},  {"4", std::nullopt},
      {"", std::nullopt},    {"MQTT", std::nullopt},
  };
  for (const auto& [name, v] : names) EXPECT_EQ(ParseVersion(name), v) << name;
  for (Version v : {Version::k31, Version::k311, Version::k5}) EXPECT_EQ(ParseVersion(VersionName(v)), v);
  EXPECT_EQ(NotAuthorizedCode(Version::k311), 0x05);
  EXPECT_EQ(NotAuthorizedCode(Version::k31), 0x05);
  EXPECT_EQ(NotAuthorizedCode(Version::k5), 0x87);
}

TEST(MqttConnect, DecodesRealPackets) {
  StatusOr<Connect> c = DecodeConnect(Body(kConnect31));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->version, Version::k31);
  EXPECT_EQ(c->client_id, "abc");
  EXPECT_TRUE(c->clean_session);
  EXPECT_EQ(c->keep_alive, 60);
  EXPECT_FALSE(c->username.has_value());

  c = DecodeConnect(Body(kConnect5));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->version, Version::k5);
  EXPECT_EQ(c->session_expiry, 120u);
  EXPECT_EQ(c->username, "u");
  EXPECT_EQ(c->password, "p");

  c = DecodeConnect(Body(kConnectWill311));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->version, Version::k311);
  EXPECT_TRUE(c->will);
  EXPECT_EQ(c->will_topic, "w/t");
  EXPECT_EQ(c->will_payload, "bye");
  EXPECT_EQ(c->will_qos, 1);
  EXPECT_TRUE(c->will_retain);
  EXPECT_EQ(c->username, "user");
  EXPECT_EQ(c->password, "pw");
  EXPECT_FALSE(c->session_expiry.has_value());

  c = DecodeConnect(Body(kConnectWill5));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->will_topic, "w/t");
  EXPECT_FALSE(c->session_expiry.has_value());

  // An empty client identifier, no clean session: the caller's policy.
  c = DecodeConnect(H("00 04 4d 51 54 54 04 00 00 00 00 00"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->client_id, "");
  EXPECT_FALSE(c->clean_session);
  // 5.0: a password without a user name.
  c = DecodeConnect(H("00 04 4d 51 54 54 05 42 00 3c 00 00 01 61 00 01 70"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->password, "p");
  EXPECT_FALSE(c->username.has_value());
}

TEST(MqttConnect, UnsupportedProtocolLevels) {
  for (const char* hex : {"00 04 4d 51 54 54 03 02 00 3c 00 01 61", "00 06 4d 51 49 73 64 70 04 02 00 3c 00 01 61",
                          "00 04 4d 51 54 54 06 02 00 3c 00 01 61", "00 04 4d 51 54 54 84 02 00 3c 00 01 61"}) {
    bool unsupported = false;
    StatusOr<Connect> c = DecodeConnect(H(hex), &unsupported);
    ASSERT_FALSE(c.ok()) << hex;
    EXPECT_TRUE(unsupported) << hex;
    EXPECT_NE(c.status().message().find("unsupported protocol"), std::string::npos) << c.status().message();
  }
  bool unsupported = true;
  StatusOr<Connect> c = DecodeConnect(H("00 04 48 54 54 50 04 02 00 3c 00 01 61"), &unsupported);
  ASSERT_FALSE(c.ok());
  EXPECT_FALSE(unsupported) << "an unknown protocol name is malformed, not a version to refuse";
  EXPECT_NE(c.status().message().find("protocol name \"HTTP\""), std::string::npos) << c.status().message();
}

TEST(MqttConnect, RejectsMalformedBodies) {
  const std::string v311 = "00 04 4d 51 54 54 04 ";
  const std::string v5 = "00 04 4d 51 54 54 05 ";
  const std::vector<BadCase> cases = {
      {"reserved flag", Version::k311, H(v311 + "03 00 3c 00 01 61"), "reserved bit 0"},
      {"will QoS 3", Version::k311, H(v311 + "1e 00 3c 00 01 61 00 01 74 00 00"), "will QoS 3"},
      {"will QoS without will", Version::k311, H(v311 + "0a 00 3c 00 01 61"), "without the will flag"},
      {"will retain without will", Version::k5, H(v5 + "22 00 3c 00 00 01 61"), "without the will flag"},
      {"password without user", Version::k311, H(v311 + "42 00 3c 00 01 61 00 01 70"), "password flag without"},
      {"password without user 3.1", Version::k31, H("00 06 4d 51 49 73 64 70 03 42 00 3c 00 01 61 00 01 70"),
       "password flag without the user name flag (3.1;"},
      {"client id too long", Version::k311, H(v311 + "02 00 3c 01 2c 61 62 63 64 65 66 67 68 69 6a 6b 6c"),
       "CONNECT: client identifier length 300 exceeds the remaining 12 bytes"},
      {"overlong UTF-8", Version::k311, H(v311 + "02 00 3c 00 03 61 c0 80"),
       "client identifier is not well-formed UTF-8 (byte 0xC0 at offset 1)"},
      {"surrogate", Version::k311, H(v311 + "02 00 3c 00 03 ed a0 80"), "not well-formed UTF-8"},
      {"cut UTF-8", Version::k311, H(v311 + "02 00 3c 00 02 61 e2"), "not well-formed UTF-8 (byte 0xE2 at offset 1)"},
      {"above U+10FFFF", Version::k311, H(v311 + "02 00 3c 00 04 f4 90 80 80"), "not well-formed UTF-8"},
      {"U+0000", Version::k311, H(v311 + "02 00 3c 00 02 61 00"), "client identifier contains U+0000 at offset 1"},
      {"user name U+0000", Version::k311, H(v311 + "82 00 3c 00 01 61 00 01 00"), "user name contains U+0000"},
      {"trailing bytes", Version::k311, H(v311 + "02 00 3c 00 01 61 ff ff"), "2 bytes after the payload"},
      {"missing user name", Version::k311, H(v311 + "82 00 3c 00 01 61"), "user name length needs 2 bytes, 0 left"},
      {"missing password", Version::k5, H(v5 + "c2 00 3c 00 00 01 61 00 01 75 00"), "password length needs 2 bytes"},
      {"no client id", Version::k31, H("00 06 4d 51 49 73 64 70 03 02 00 3c"),
       "client identifier length needs 2 bytes, 0 left"},
      {"will topic wildcard", Version::k311, H(v311 + "06 00 3c 00 01 61 00 01 23 00 00"), "contains a wildcard"},
      {"will topic empty", Version::k311, H(v311 + "06 00 3c 00 01 61 00 00 00 00"), "will topic is empty"},
      {"will payload cut", Version::k311, H(v311 + "06 00 3c 00 01 61 00 01 74 00 05 61"),
       "will payload length 5 exceeds the remaining 1 bytes"},
      {"unknown property", Version::k5, H(v5 + "02 00 3c 02 05 00 00 01 61"), "properties: unknown property 0x5"},
      {"property not allowed", Version::k5, H(v5 + "02 00 3c 02 24 01 00 01 61"),
       "property 0x24 (Maximum QoS) is not allowed here"},
      {"property twice", Version::k5, H(v5 + "02 00 3c 0a 11 00 00 00 01 11 00 00 00 02 00 01 61"),
       "property 0x11 (Session Expiry Interval) appears twice"},
      {"property cut", Version::k5, H(v5 + "02 00 3c 03 11 00 00 00 01 61"), "needs 4 bytes, 2 left"},
      {"properties too long", Version::k5, H(v5 + "02 00 3c 20 00 01 61"),
       "properties length 32 exceeds the remaining 3 bytes"},
      {"property length 5 bytes", Version::k5, H(v5 + "02 00 3c ff ff ff ff 01 00 01 61"),
       "properties length longer than 4 bytes"},
      {"will property not allowed", Version::k5, H(v5 + "06 00 3c 00 00 01 61 05 11 00 00 00 01 00 01 74 00 00"),
       "will properties: property 0x11 (Session Expiry Interval) is not allowed here"},
      {"user property value cut", Version::k5, H(v5 + "02 00 3c 05 26 00 01 6b 00 00 01 61"),
       "User Property) value length needs 2 bytes"},
      {"short body", Version::k311, H("00 04 4d 51 54 54"), "CONNECT: Remaining Length 6 is below the minimum 12"},
  };
  for (const BadCase& c : cases) ExpectRejected(c, DecodeConnect(c.body));
}

TEST(MqttConnect, EncodesWhatItDecodes) {
  Connect plain;
  plain.client_id = "abc";
  EXPECT_EQ(EncodeConnect(plain), kConnect311);
  plain.version = Version::k31;
  EXPECT_EQ(EncodeConnect(plain), kConnect31);

  for (Version v : {Version::k31, Version::k311, Version::k5}) {
    Connect base;
    base.version = v;
    base.client_id = "GID_dev@@@device-a";
    base.keep_alive = 300;
    Connect login = base;
    login.username = "Signature|LTAI|post-cn-1";
    login.password = std::string("p\0w\xff", 4);
    Connect will = login;
    will.clean_session = false;
    will.will = true;
    will.will_topic = "devices/a/status";
    will.will_payload = std::string("\0gone", 5);
    will.will_qos = 2;
    will.will_retain = true;
    Connect expiry = base;
    if (v == Version::k5) expiry.session_expiry = 3600;
    for (const Connect& c : {base, login, will, expiry}) {
      const std::string packet = EncodeConnect(c);
      StatusOr<Connect> back = DecodeConnect(Body(packet));
      ASSERT_TRUE(back.ok()) << VersionName(v) << ": " << back.status().ToString();
      EXPECT_EQ(*back, c) << VersionName(v);
    }
  }
}

TEST(MqttConnack, DecodesAndEncodes) {
  StatusOr<Connack> c = DecodeConnack(Version::k311, Body(H("20 02 01 00")));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->session_present);
  EXPECT_EQ(c->code, 0);
  c = DecodeConnack(Version::k31, Body(H("20 02 01 05")));  // 3.1: the first byte is reserved
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->session_present);
  EXPECT_EQ(c->code, kConnackNotAuthorized);
  // 5.0 with Maximum QoS 1 and Topic Alias Maximum 10.
  c = DecodeConnack(Version::k5, Body(H("20 08 00 00 05 24 01 22 00 0a")));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->code, 0);

  EXPECT_EQ(EncodeConnack(Version::k311, {true, 0}), H("20 02 01 00"));
  EXPECT_EQ(EncodeConnack(Version::k31, {true, 0}), H("20 02 00 00"));
  EXPECT_EQ(EncodeConnack(Version::k311, {false, kConnackBadProtocolVersion}), H("20 02 00 01"));
  EXPECT_EQ(EncodeConnack(Version::k5, {false, kReasonNotAuthorized}), H("20 03 00 87 00"));
  for (Version v : {Version::k311, Version::k5}) {
    for (Connack in : {Connack{true, 0}, Connack{false, NotAuthorizedCode(v)}}) {
      StatusOr<Connack> back = DecodeConnack(v, Body(EncodeConnack(v, in)));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, in);
    }
  }
}

TEST(MqttConnack, RejectsMalformedBodies) {
  const std::vector<BadCase> cases = {
      {"short", Version::k311, H("00"), "Remaining Length 1 is below the minimum 2"},
      {"long 3.1.1", Version::k311, H("00 00 00"), "1 byte after the return code"},
      {"reserved flags", Version::k311, H("02 00"), "acknowledge flags 0x2 have reserved bits 1-7 set"},
      {"reserved code", Version::k311, H("00 06"), "return code 0x6 is reserved"},
      {"present on refusal", Version::k311, H("01 05"), "session present with the refusal 0x5"},
      {"5.0 no properties", Version::k5, H("00 00"), "properties length is cut off"},
      {"5.0 code", Version::k5, H("00 05 00"), "reason code 0x5 is not a CONNACK code"},
      {"5.0 property", Version::k5, H("00 00 02 23 00"), "property 0x23 (Topic Alias) is not allowed here"},
      {"5.0 trailing", Version::k5, H("00 00 00 00"), "1 byte after the properties"},
  };
  for (const BadCase& c : cases) ExpectRejected(c, DecodeConnack(c.version, c.body));
}

}  // namespace
}  // namespace onsmqtt::mqtt
