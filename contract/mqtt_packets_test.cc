// PUBLISH, PUBACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ,
// PINGRESP, DISCONNECT (contract/mqtt_packets.cc).
#include <gtest/gtest.h>

#include "contract/mqtt_codec.h"
#include "contract/mqtt_test_util.h"

namespace onsmqtt::mqtt {
namespace {

using mqtt_test::BadCase;
using mqtt_test::Body;
using mqtt_test::ExpectRejected;
using mqtt_test::H;

constexpr Version kAll[] = {Version::k31, Version::k311, Version::k5};

StatusOr<Publish> DecodePublishPacket(Version v, const std::string& packet) {
  uint8_t flags = 0;
  const std::string body = Body(packet, &flags);
  return DecodePublish(v, flags, body);
}

TEST(MqttPublish, DecodesRealPackets) {
  StatusOr<Publish> p = DecodePublishPacket(Version::k311, H("30 07 00 03 61 2f 62 68 69"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->qos, 0);
  EXPECT_EQ(p->topic, "a/b");
  EXPECT_EQ(p->payload, "hi");
  EXPECT_EQ(p->packet_id, 0);

  p = DecodePublishPacket(Version::k311, H("3b 09 00 03 61 2f 62 00 0a 68 69"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->qos, 1);
  EXPECT_TRUE(p->dup);
  EXPECT_TRUE(p->retain);
  EXPECT_EQ(p->packet_id, 10);

  // 5.0: Payload Format Indicator 1, Topic Alias 5.
  p = DecodePublishPacket(Version::k5, H("34 0f 00 03 61 2f 62 00 0a 05 01 01 23 00 05 68 69"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->qos, 2);
  EXPECT_EQ(p->topic_alias, 5);
  EXPECT_EQ(p->payload, "hi");
  // 5.0: an empty topic with a Topic Alias; an empty payload.
  p = DecodePublishPacket(Version::k5, H("30 06 00 00 03 23 00 07"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->topic, "");
  EXPECT_EQ(p->topic_alias, 7);
  EXPECT_EQ(p->payload, "");
}

TEST(MqttPublish, RejectsMalformedBodies) {
  const std::vector<std::pair<uint8_t, BadCase>> cases = {
      {0x6, {"QoS 3", Version::k311, H("00 01 61 00 01"), "QoS 3 in the fixed-header flags 0x6"}},
      {0x8, {"DUP on QoS 0", Version::k311, H("00 01 61"), "DUP set on a QoS 0 message"}},
      {0x10, {"flags", Version::k311, H("00 01 61"), "do not fit in four bits"}},
      {0x2, {"packet id 0", Version::k311, H("00 01 61 00 00"), "packet identifier 0 (must be nonzero)"}},
      {0x2, {"no packet id", Version::k311, H("00 01 61"), "packet identifier needs 2 bytes, 0 left"}},
      {0x0, {"wildcard +", Version::k311, H("00 03 61 2f 2b"), "topic name \"a/+\" contains a wildcard"}},
      {0x0, {"wildcard #", Version::k5, H("00 01 23 00"), "contains a wildcard"}},
      {0x0, {"empty topic", Version::k311, H("00 00 68 69"), "topic name is empty"}},
      {0x0, {"empty topic 5.0", Version::k5, H("00 00 00"), "topic name is empty and there is no Topic Alias"}},
      {0x0, {"topic alias 0", Version::k5, H("00 00 03 23 00 00"), "Topic Alias 0 (must be nonzero)"}},
      {0x0, {"topic length", Version::k311, H("00 09 61 62"), "topic name length 9 exceeds the remaining 2 bytes"}},
      {0x0, {"topic UTF-8", Version::k311, H("00 02 c3 28"), "topic name is not well-formed UTF-8"}},
      {0x0, {"topic U+0000", Version::k311, H("00 02 61 00"), "topic name contains U+0000"}},
      {0x0, {"property", Version::k5, H("00 01 61 05 11 00 00 00 01"), "Session Expiry Interval) is not allowed"}},
      {0x0, {"no properties", Version::k5, H("00 01 61"), "properties length is cut off"}},
      {0x0, {"short", Version::k311, H("00"), "PUBLISH: Remaining Length 1 is below the minimum 2"}},
  };
  for (const auto& [flags, c] : cases) ExpectRejected(c, DecodePublish(c.version, flags, c.body));
}

TEST(MqttPublish, EncodesWhatItDecodes) {
  EXPECT_EQ(EncodePublish(Version::k311, {0, false, false, "a/b", 0, "hi", 0}), H("30 07 00 03 61 2f 62 68 69"));
  EXPECT_EQ(EncodePublish(Version::k5, {1, true, false, "a/b", 10, "hi", 0}), H("33 0a 00 03 61 2f 62 00 0a 00 68 69"));
  for (Version v : kAll) {
    std::vector<Publish> in = {{0, false, false, "t", 0, "", 0},
                               {1, true, true, "devices/a/up", 65535, std::string("\0\xff", 2), 0},
                               {2, false, true, "$SYS/x", 1, std::string(300, 'p'), 0}};
    if (v == Version::k5) in.push_back({1, false, false, "", 9, "aliased", 3});
    for (const Publish& p : in) {
      StatusOr<Publish> back = DecodePublishPacket(v, EncodePublish(v, p));
      ASSERT_TRUE(back.ok()) << VersionName(v) << ": " << back.status().ToString();
      EXPECT_EQ(*back, p) << VersionName(v);
    }
  }
  for (Version v : kAll) EXPECT_EQ(EncodePuback(v, 0x1234), H("40 02 12 34")) << VersionName(v);
}

TEST(MqttSubscribe, DecodesRealPackets) {
  StatusOr<Subscribe> s = DecodeSubscribe(Version::k311, Body(H("82 08 00 01 00 03 61 2f 23 01")));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->packet_id, 1);
  ASSERT_EQ(s->subscriptions.size(), 1u);
  EXPECT_EQ(s->subscriptions[0].filter, "a/#");
  EXPECT_EQ(s->subscriptions[0].qos, 1);
  // 5.0: Subscription Identifier 1; No Local, Retain Handling 1; then a second filter.
  s = DecodeSubscribe(Version::k5, Body(H("82 0f 00 01 02 0b 01 00 03 61 2f 23 15 00 01 62 02")));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->subscriptions.size(), 2u);
  EXPECT_EQ(s->subscriptions[0].qos, 1);
  EXPECT_EQ(s->subscriptions[1].filter, "b");
  EXPECT_EQ(s->subscriptions[1].qos, 2);
}

TEST(MqttSubscribe, RejectsMalformedBodies) {
  const std::vector<BadCase> cases = {
      {"packet id 0", Version::k311, H("00 00 00 01 61 00"), "SUBSCRIBE: packet identifier 0"},
      {"no filter", Version::k5, H("00 01 02 0b 01"), "no topic filter (at least one is required)"},
      {"no options", Version::k311, H("00 01 00 02 61 62"), "subscription options 1 needs 1 bytes, 0 left"},
      {"QoS 3", Version::k311, H("00 01 00 01 61 03"), "subscription options 1 0x3 request QoS 3"},
      {"3.1.1 bits", Version::k311, H("00 01 00 01 61 01 00 01 62 04"),
       "subscription options 2 0x4 have reserved bits 2-7 set (3.1.1)"},
      {"3.1 bits", Version::k31, H("00 01 00 01 61 80"), "reserved bits 2-7 set (3.1)"},
      {"5.0 bits", Version::k5, H("00 01 00 00 01 61 40"), "0x40 have reserved bits 6-7 set"},
      {"retain handling 3", Version::k5, H("00 01 00 00 01 61 30"), "have Retain Handling 3"},
      {"filter UTF-8", Version::k311, H("00 01 00 01 ff 00"), "topic filter 1 is not well-formed UTF-8"},
      {"filter length", Version::k311, H("00 01 00 05 61 00"), "topic filter 1 length 5 exceeds"},
      {"two ids", Version::k5, H("00 01 04 0b 01 0b 02 00 01 61 00"), "Subscription Identifier) appears twice"},
      {"property", Version::k5, H("00 01 02 23 00 00 01 61 00"), "Topic Alias) is not allowed here"},
      {"short", Version::k311, H("00 01 00 00"), "Remaining Length 4 is below the minimum 5"},
  };
  for (const BadCase& c : cases) ExpectRejected(c, DecodeSubscribe(c.version, c.body));
}

TEST(MqttSubscribe, EncodesWhatItDecodesAndAnswers) {
  const Subscribe in{7, {{"a/+/c", 0}, {"#", 1}, {"$share/g/x", 2}}};
  for (Version v : kAll) {
    StatusOr<Subscribe> back = DecodeSubscribe(v, Body(EncodeSubscribe(v, in)));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, in);
  }
  EXPECT_EQ(EncodeSubscribe(Version::k311, {1, {{"a/#", 1}}}), H("82 08 00 01 00 03 61 2f 23 01"));
  EXPECT_EQ(EncodeSuback(Version::k311, 1, {0x01, 0x80}), H("90 04 00 01 01 80"));
  EXPECT_EQ(EncodeSuback(Version::k5, 1, {0x00}), H("90 04 00 01 00 00"));
}

TEST(MqttSubscribe, TopicFilters) {
  for (const char* ok : {"a", "a/b", "#", "+", "a/#", "+/+/#", "/", "a//b", "$share/g/+", "+/"}) {
    EXPECT_TRUE(IsValidTopicFilter(ok)) << ok;
  }
  for (const char* bad : {"", "a#", "a/#/b", "#/", "a+", "+a/b", "a/b#", "##"}) {
    EXPECT_FALSE(IsValidTopicFilter(bad)) << bad;
  }
}

TEST(MqttUnsubscribe, DecodesEncodesAndAnswers) {
  size_t filters = 0;
  StatusOr<uint16_t> id = DecodeUnsubscribe(Version::k311, Body(H("a2 07 00 02 00 03 61 2f 23")), &filters);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 2);
  EXPECT_EQ(filters, 1u);
  for (Version v : kAll) {
    id = DecodeUnsubscribe(v, Body(EncodeUnsubscribe(v, 9, {"a", "b/+", "#"})), &filters);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, 9);
    EXPECT_EQ(filters, 3u);
  }
  EXPECT_EQ(EncodeUnsuback(Version::k311, 2, 3), H("b0 02 00 02"));
  EXPECT_EQ(EncodeUnsuback(Version::k5, 2, 3), H("b0 06 00 02 00 00 00 00"));
  const std::vector<BadCase> cases = {
      {"packet id 0", Version::k311, H("00 00 00 01 61"), "UNSUBSCRIBE: packet identifier 0"},
      {"no filter", Version::k5, H("00 01 05 26 00 00 00 00"), "no topic filter"},
      {"cut filter", Version::k311, H("00 01 00 01 61 00"), "topic filter 2 length needs 2 bytes, 1 left"},
      {"filter U+0000", Version::k311, H("00 01 00 01 00"), "topic filter 1 contains U+0000"},
      {"property", Version::k5, H("00 01 02 0b 01 00 01 61"), "Subscription Identifier) is not allowed here"},
      {"short", Version::k311, H("00 01 00"), "Remaining Length 3 is below the minimum 4"},
  };
  for (const BadCase& c : cases) ExpectRejected(c, DecodeUnsubscribe(c.version, c.body));
}

TEST(MqttPing, TwoBytePackets) {
  EXPECT_EQ(EncodePingreq(), H("c0 00"));
  EXPECT_EQ(EncodePingresp(), H("d0 00"));
}

TEST(MqttDisconnect, EncodesAndDecodes) {
  EXPECT_EQ(EncodeDisconnect(Version::k311), H("e0 00"));
  EXPECT_EQ(EncodeDisconnect(Version::k311, 0x81), H("e0 00")) << "3.1.1 has no reason code";
  EXPECT_EQ(EncodeDisconnect(Version::k5), H("e0 00"));
  EXPECT_EQ(EncodeDisconnect(Version::k5, kReasonMalformedPacket), H("e0 02 81 00"));
  for (Version v : kAll) {
    for (uint8_t reason : {0x00, 0x04, 0x82}) {
      StatusOr<uint8_t> back = DecodeDisconnect(v, Body(EncodeDisconnect(v, reason)));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, v == Version::k5 ? reason : 0x00);
    }
  }
  StatusOr<uint8_t> r = DecodeDisconnect(Version::k5, H("04"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 0x04);
  r = DecodeDisconnect(Version::k5, H("00 0a 11 00 00 00 00 1f 00 02 6f 6b"));  // Session Expiry, Reason String
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::vector<BadCase> cases = {
      {"3.1.1 body", Version::k311, H("00"), "1 byte after the fixed header (3.1.1 has no body)"},
      {"property", Version::k5, H("00 02 23 00"), "Topic Alias) is not allowed here"},
      {"trailing", Version::k5, H("00 00 ff"), "1 byte after the properties"},
  };
  for (const BadCase& c : cases) ExpectRejected(c, DecodeDisconnect(c.version, c.body));
}

}  // namespace
}  // namespace onsmqtt::mqtt
