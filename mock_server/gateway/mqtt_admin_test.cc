// The MQTT listener inside the whole mock (MockServer with mqtt_port 0): a
// device's connects reach the journal, /__admin/connects and the health
// figures, and the admin registration shares the listener's decision.
#include <gtest/gtest.h>

#include <csignal>

#include "mock_server/gateway/http_test_support.h"
#include "mock_server/mqtt/mqtt_test_util.h"
#include "mock_server/mqtt/tls_test_client.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

MockOptions WithListener() {
  MockOptions options;
  options.mqtt_port = 0;
  return options;
}

testing::DeviceTls Device(const std::string& name) {
  const std::string pki = std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/";
  return {pki + name + ".pem", pki + name + ".key", "localhost"};
}

TEST(MqttAdminTest, ConnectsAreJournalledAndListed) {
  std::signal(SIGPIPE, SIG_IGN);
  MockFixture mock(WithListener());
  ASSERT_GT(mock.server().mqtt_port(), 0);
  {
    testing::TlsDevice device;
    std::string error;
    ASSERT_TRUE(device.Connect(mock.server().mqtt_port(), Device("device-a-active"), &error)) << error;
    ASSERT_TRUE(device.Write(testing::Connect(4, "GID_admin@@@dev1")));
    ASSERT_EQ(device.Read(4), testing::Connack311(0));
    Reply health = mock.Admin("GET", "health");
    EXPECT_EQ(health.json.value("mqtt_connections", -1), 1) << health.body;
  }
  {
    testing::TlsDevice device;
    std::string error;
    ASSERT_TRUE(device.Connect(mock.server().mqtt_port(), Device("device-a-inactive"), &error)) << error;
    ASSERT_TRUE(device.Write(testing::Connect(5, "GID_admin@@@dev2")));
    ASSERT_EQ(device.Read(5), testing::Connack5(0x87));
  }
  Reply connects = mock.Admin("GET", "connects");
  ASSERT_EQ(connects.status, 200);
  ASSERT_EQ(connects.json.at("connects").size(), 2u) << connects.body;
  const nlohmann::json& accepted = connects.json.at("connects").at(0);
  EXPECT_EQ(accepted.at("outcome"), "accepted");
  EXPECT_EQ(accepted.at("device_sn"), mock.Var("device.active.sn"));
  EXPECT_EQ(accepted.at("client_id"), "GID_admin@@@dev1");
  EXPECT_EQ(accepted.at("protocol"), "3.1.1");
  EXPECT_EQ(accepted.at("instance_id"), mock.Var("instance.platinum.id"));
  EXPECT_TRUE(accepted.contains("time"));
  const nlohmann::json& refused = connects.json.at("connects").at(1);
  EXPECT_EQ(refused.at("outcome"), "refused");
  EXPECT_EQ(refused.at("connack"), 0x87);
  EXPECT_EQ(refused.at("refusal"), "connack");
  Reply journal = mock.Admin("GET", "journal");
  ASSERT_EQ(journal.json.at("requests").size(), 2u) << journal.body;
  EXPECT_EQ(journal.json.at("requests").at(1).at("action"), "CONNECT");
  EXPECT_EQ(journal.json.at("requests").at(1).at("method"), "MQTT");
  EXPECT_EQ(journal.json.at("requests").at(1).at("code"), "refused");
  EXPECT_EQ(mock.Admin("GET", "connects?limit=1").json.at("connects").size(), 1u);
}

TEST(MqttAdminTest, TheAdminRegistrationIsTheListenersDecision) {
  MockFixture mock;
  EXPECT_FALSE(mock.Admin("GET", "health").json.contains("mqtt_connections"));  // no listener
  nlohmann::json body = {{"instance_id", mock.Var("instance.platinum.id")}, {"pem", mock.Var("device.inactive.pem")}};
  Reply inactive = mock.Admin("POST", "devices/register", body.dump());
  EXPECT_EQ(inactive.status, 422);
  EXPECT_NE(inactive.json.value("error", "").find("ActiveDeviceCertificate"), std::string::npos) << inactive.body;
}

}  // namespace
}  // namespace onsmqtt::mock
