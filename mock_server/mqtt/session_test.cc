#include "mock_server/mqtt/session.h"

#include <gtest/gtest.h>

#include "mock_server/mqtt/mqtt_test_util.h"

namespace onsmqtt::mock {
namespace {

using testing::Connack311;
using testing::Connack5;
using testing::Connect;
using testing::Packet;
using testing::Str;

Session Accepting(std::string* client_id = nullptr) {
  return Session([client_id](const mqtt::Connect& c) {
    if (client_id != nullptr) *client_id = c.client_id;
    return Session::Verdict{true, std::nullopt};
  });
}

TEST(SessionTest, AcceptsEachProtocolLevel) {
  struct Case {
    int level;
    std::string connack;
    mqtt::Version version;
  } cases[] = {{3, Connack311(0), mqtt::Version::k31},
               {4, Connack311(0), mqtt::Version::k311},
               {5, Connack5(0), mqtt::Version::k5}};
  for (const Case& c : cases) {
    std::string id;
    Session s = Accepting(&id);
    Session::Output out = s.Feed(Connect(c.level, "GID_a@@@dev1"));
    EXPECT_EQ(out.bytes, c.connack) << c.level;
    EXPECT_FALSE(out.close) << c.level;
    EXPECT_TRUE(s.connected());
    EXPECT_EQ(s.version(), c.version);
    EXPECT_EQ(s.keep_alive(), 60);
    EXPECT_EQ(id, "GID_a@@@dev1");
  }
}

TEST(SessionTest, RefusalsAreACodeOrAClose) {
  Session with_code([](const mqtt::Connect& c) { return Session::Verdict{false, mqtt::NotAuthorizedCode(c.version)}; });
  Session::Output out = with_code.Feed(Connect(4, "GID_a@@@dev1"));
  EXPECT_EQ(out.bytes, Connack311(5));
  EXPECT_TRUE(out.close);
  Session v5([](const mqtt::Connect& c) { return Session::Verdict{false, mqtt::NotAuthorizedCode(c.version)}; });
  EXPECT_EQ(v5.Feed(Connect(5, "GID_a@@@dev1")).bytes, Connack5(0x87));
  Session silent([](const mqtt::Connect&) { return Session::Verdict{false, std::nullopt}; });
  out = silent.Feed(Connect(4, "GID_a@@@dev1"));
  EXPECT_EQ(out.bytes, "");
  EXPECT_TRUE(out.close);
}

TEST(SessionTest, AnswersPingSubscribePublishAndDisconnect) {
  Session s = Accepting();
  std::string in = Connect(4, "GID_a@@@dev1");
  in += testing::Pingreq();
  in += Packet(0x82, std::string("\x00\x01", 2) + Str("a/b") + "\x01" + Str("c/#") + "\x02");  // SUBSCRIBE id 1
  in += Packet(0x30, Str("a/b") + "hello");                                                    // PUBLISH QoS 0
  in += Packet(0x32, Str("a/b") + std::string("\x00\x07", 2) + "hi");                          // PUBLISH QoS 1, id 7
  Session::Output out = s.Feed(in);
  std::string expected = Connack311(0) + testing::Pingresp();
  expected += Packet(0x90, std::string("\x00\x01\x01\x01", 4));  // SUBACK: QoS 1, and 1 for the QoS 2 request
  expected += Packet(0x40, std::string("\x00\x07", 2));          // PUBACK 7
  EXPECT_EQ(out.bytes, expected);
  EXPECT_FALSE(out.close);
  out = s.Feed(testing::Disconnect());
  EXPECT_TRUE(out.close);
  EXPECT_EQ(out.why, "DISCONNECT");
}

TEST(SessionTest, PacketsSplitAnywhereAreReassembled) {
  std::string in = Connect(4, "GID_a@@@dev1") + testing::Pingreq();
  for (size_t cut = 1; cut < in.size(); ++cut) {
    Session s = Accepting();
    std::string first = s.Feed(in.substr(0, cut)).bytes;
    std::string second = s.Feed(in.substr(cut)).bytes;
    EXPECT_EQ(first + second, Connack311(0) + testing::Pingresp()) << "cut at " << cut;
  }
}

TEST(SessionTest, ProtocolViolationsClose) {
  struct Case {
    const char* name;
    std::string before;  // sent after an accepted CONNECT when not empty
    std::string packet;
    std::string why;
  } cases[] = {
      {"first packet not CONNECT", "", testing::Pingreq(), "the first packet is PINGREQ, not CONNECT"},
      {"second CONNECT", Connect(4, "x"), Connect(4, "x"), "unexpected CONNECT"},
      {"QoS 2 publish", Connect(4, "x"), Packet(0x34, Str("a") + std::string("\x00\x01", 2)), "QoS 2"},
      {"reserved type 0", Connect(4, "x"), std::string("\x00\x00", 2), "malformed packet"},
  };
  for (const Case& c : cases) {
    Session s = Accepting();
    if (!c.before.empty()) {
      ASSERT_FALSE(s.Feed(c.before).close) << c.name;
    }
    Session::Output out = s.Feed(c.packet);
    EXPECT_TRUE(out.close) << c.name;
    EXPECT_NE(out.why.find(c.why), std::string::npos) << c.name << ": " << out.why;
  }
}

TEST(SessionTest, AnUnknownProtocolLevelGetsReturnCode1) {
  Session s = Accepting();
  Session::Output out = s.Feed(Connect(6, "GID_a@@@dev1"));
  EXPECT_EQ(out.bytes, Connack311(1));
  EXPECT_TRUE(out.close);
  EXPECT_FALSE(s.saw_connect());
}

TEST(SessionTest, ATooLargePacketCloses) {
  Session s([](const mqtt::Connect&) { return Session::Verdict{true, std::nullopt}; }, 1024);
  ASSERT_FALSE(s.Feed(Connect(4, "x")).close);
  Session::Output out = s.Feed(Packet(0x30, Str("a") + std::string(2000, 'x')).substr(0, 10));
  EXPECT_TRUE(out.close);
  EXPECT_NE(out.why.find("too large"), std::string::npos) << out.why;
}

}  // namespace
}  // namespace onsmqtt::mock
