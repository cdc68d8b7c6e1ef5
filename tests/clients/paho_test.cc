// The Paho C client (Eclipse Paho MQTT C 1.3, Debian's libpaho-mqtt-dev,
// library paho-mqtt3cs), a client nobody here wrote, against the mock's MQTT
// listener over mutual TLS, the mock in-process (mock_server.h) with auth
// off: acceptance (MQTT 3.1.1 and 5.0) with a QoS 1 publish and a
// subscribe, every refusal of the default fixture (3.1.1 return code 5, 5.0
// reason code 0x87), the API round trip inactivate -> activate, the
// registration on connect, MQTTVERSION_DEFAULT's fallback to 3.1, the
// refusals by close and by TLS alert, and the TLS server name
// <instance-id>.mqtt.aliyuncs.com selecting the instance (through
// tunnel_proxy.h: Paho sends its URI's host as the server name).
#include <string>
#include <vector>

#include "tests/clients/paho_test_util.h"
#include "tests/clients/tunnel_proxy.h"

namespace onsmqtt::clients::testing {
namespace {

Dial DeviceDial(const std::string& device, int version) {
  Dial d;
  d.device = device;
  d.version = version;
  return d;
}

// What Paho's connect answers when the mock refuses without a CONNACK: the
// connection closed while waiting for it, or the TLS handshake failed
// (Paho completes SSL_connect before it sends CONNECT, so with TLS 1.2 the
// alert always ends the handshake).
constexpr int kCloseRc = MQTTCLIENT_FAILURE;
constexpr int kAlertRc = MQTTCLIENT_FAILURE;
constexpr char kAlertText[] = "alert bad certificate";  // alert 42

std::string Describe(const nlohmann::json& connects) { return "/__admin/connects: " + connects.dump(); }

TEST(PahoTest, ActiveDevicePublishesQos1AndSubscribes) {
  Mock mock;
  const std::string sn = mock.var("device.active.sn");
  for (int version : {MQTTVERSION_3_1_1, MQTTVERSION_5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    Paho paho(DeviceDial("device-a-active", version), mock.mqtt_port());
    ASSERT_EQ(paho.Connect(), MQTTCLIENT_SUCCESS) << paho.tls_errors() << Describe(mock.Connects(3));
    nlohmann::json c = mock.LastConnect();
    EXPECT_EQ(c.value("outcome", ""), "accepted") << c;
    EXPECT_EQ(c.value("protocol", ""), version == MQTTVERSION_5 ? "5.0" : "3.1.1") << c;
    EXPECT_EQ(c.value("device_sn", ""), sn) << c;
    EXPECT_EQ(c.value("client_id", ""), "GID_test@@@paho1") << c;
    EXPECT_EQ(c.value("instance_id", ""), kPlatinum) << c;
    EXPECT_EQ(c.value("server_name", ""), "localhost") << c;
    EXPECT_EQ(c.value("connack", -1), 0) << c;
    EXPECT_EQ(paho.PublishQos1("devices/paho", "hello"), MQTTCLIENT_SUCCESS);
    EXPECT_EQ(paho.SubscribeQos1("devices/#"), 1) << "granted QoS";
    EXPECT_EQ(paho.Disconnect(), MQTTCLIENT_SUCCESS);
  }
}

TEST(PahoTest, MqttVersion31IsAccepted) {
  Mock mock;
  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-active", MQTTVERSION_3_1)), MQTTCLIENT_SUCCESS);
  EXPECT_EQ(mock.LastConnect().value("protocol", ""), "3.1") << mock.LastConnect();
}

// Each refusal of the default fixture, with the reason the mock records.
struct Refused {
  const char* device;
  const char* why;
};
const Refused kRefused[] = {
    {"device-a-inactive", "registered, inactive"},
    {"device-unknown-ca", "its CA is not registered"},
    {"device-b-unregistered", "not registered, its CA inactive"},
    {"device-b", "registered, active, its CA inactive"},
    {"device-a-expired", "registered, active, expired"},
};

TEST(PahoTest, EveryRefusalIsNotAuthorized) {
  Mock mock;
  for (const Refused& r : kRefused) {
    SCOPED_TRACE(std::string(r.device) + ": " + r.why);
    EXPECT_EQ(ConnectOnce(mock, DeviceDial(r.device, MQTTVERSION_3_1_1)), kNotAuthorized311);
    nlohmann::json c = mock.LastConnect();
    EXPECT_EQ(c.value("outcome", ""), "refused") << c;
    EXPECT_EQ(c.value("connack", -1), kNotAuthorized311) << c;
    EXPECT_EQ(c.value("refusal", ""), "connack") << c;
    EXPECT_FALSE(c.value("reason", "").empty()) << c;
    EXPECT_FALSE(c.value("registered", true)) << c;

    EXPECT_EQ(ConnectOnce(mock, DeviceDial(r.device, MQTTVERSION_5)), kNotAuthorized5);
    c = mock.LastConnect();
    EXPECT_EQ(c.value("protocol", ""), "5.0") << c;
    EXPECT_EQ(c.value("connack", -1), kNotAuthorized5) << c;
  }
}

TEST(PahoTest, InactivateThenActivateThroughTheApi) {
  Mock mock;
  const std::string sn = mock.var("device.active.sn");
  const std::string ca = mock.var("ca.a.sn");
  const Dial dial = DeviceDial("device-a-active", MQTTVERSION_3_1_1);
  ASSERT_EQ(ConnectOnce(mock, dial), MQTTCLIENT_SUCCESS);

  nlohmann::json answer = mock.Api("InactivateDeviceCertificate", {{"DeviceSn", sn}, {"CaSn", ca}});
  ASSERT_EQ(answer.value("DeviceSn", ""), sn) << answer;
  EXPECT_EQ(ConnectOnce(mock, dial), kNotAuthorized311) << Describe(mock.Connects(2));
  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-active", MQTTVERSION_5)), kNotAuthorized5);

  answer = mock.Api("ActiveDeviceCertificate", {{"DeviceSn", sn}, {"CaSn", ca}});
  ASSERT_EQ(answer.value("DeviceSn", ""), sn) << answer;
  EXPECT_EQ(ConnectOnce(mock, dial), MQTTCLIENT_SUCCESS) << Describe(mock.Connects(2));
  EXPECT_EQ(mock.LastConnect().value("outcome", ""), "accepted");
}

TEST(PahoTest, UnregisteredDeviceOfAnActiveCaIsRegisteredOnConnect) {
  Mock mock;
  const std::string ca = mock.var("ca.a.sn");
  ASSERT_EQ(ConnectOnce(mock, DeviceDial("device-a-unregistered", MQTTVERSION_5)), MQTTCLIENT_SUCCESS)
      << Describe(mock.Connects(1));
  nlohmann::json c = mock.LastConnect();
  EXPECT_TRUE(c.value("registered", false)) << c;
  EXPECT_EQ(c.value("ca_sn", ""), ca) << c;
  const std::string sn = c.value("device_sn", "");
  ASSERT_FALSE(sn.empty()) << c;

  nlohmann::json got = mock.Api("GetDeviceCertificate", {{"DeviceSn", sn}, {"CaSn", ca}});
  EXPECT_EQ(got["Data"].value("Status", ""), "1") << got;
  EXPECT_EQ(got["Data"].value("DeviceName", ""), "device-a-unregistered") << got;
  nlohmann::json list = mock.Api("ListDeviceCertificateByCaSn", {{"CaSn", ca}, {"PageNo", "1"}, {"PageSize", "100"}});
  bool listed = false;
  for (const nlohmann::json& d : list["Data"]["DeviceCertificateVOS"]) listed |= d.value("DeviceSn", "") == sn;
  EXPECT_TRUE(listed) << list;

  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-unregistered", MQTTVERSION_3_1_1)), MQTTCLIENT_SUCCESS);
  EXPECT_FALSE(mock.LastConnect().value("registered", true)) << "registered once";
}

// MQTTVERSION_DEFAULT: Paho tries 3.1.1 and, on any failure, 3.1 ("MQIsdp").
TEST(PahoTest, DefaultVersionFallsBackTo31AfterARefusal) {
  Mock mock;
  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-inactive", MQTTVERSION_DEFAULT)), kNotAuthorized311);
  nlohmann::json connects = mock.Connects(10);
  ASSERT_EQ(connects.size(), 2u) << Describe(connects);
  EXPECT_EQ(connects[0].value("protocol", ""), "3.1.1") << connects[0];
  EXPECT_EQ(connects[1].value("protocol", ""), "3.1") << connects[1];
  for (const nlohmann::json& c : connects) {
    EXPECT_EQ(c.value("outcome", ""), "refused") << c;
    EXPECT_EQ(c.value("connack", -1), kNotAuthorized311) << c;
  }

  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-active", MQTTVERSION_DEFAULT)), MQTTCLIENT_SUCCESS);
  connects = mock.Connects(10);
  ASSERT_EQ(connects.size(), 3u) << "an accepted 3.1.1 connect is not retried: " << Describe(connects);
  EXPECT_EQ(connects[2].value("protocol", ""), "3.1.1") << connects[2];
  EXPECT_EQ(connects[2].value("outcome", ""), "accepted") << connects[2];
}

TEST(PahoTest, RefusalByClosingTheConnection) {
  Mock mock(mock::MqttRefusal::kClose);
  ASSERT_EQ(ConnectOnce(mock, DeviceDial("device-a-active", MQTTVERSION_3_1_1)), MQTTCLIENT_SUCCESS);
  for (int version : {MQTTVERSION_3_1_1, MQTTVERSION_5}) {
    SCOPED_TRACE("MQTT version " + std::to_string(version));
    // No CONNACK: Paho's connect fails without a code from the server.
    EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-a-inactive", version)), kCloseRc);
    nlohmann::json c = mock.LastConnect();
    EXPECT_EQ(c.value("outcome", ""), "refused") << c;
    EXPECT_EQ(c.value("refusal", ""), "close") << c;
    EXPECT_EQ(c.value("connack", 0), -1) << c;
  }
}

TEST(PahoTest, RefusalByTlsAlert) {
  Mock mock(mock::MqttRefusal::kTlsAlert);
  ASSERT_EQ(ConnectOnce(mock, DeviceDial("device-a-active", MQTTVERSION_3_1_1)), MQTTCLIENT_SUCCESS);
  for (const Refused& r : kRefused) {
    SCOPED_TRACE(r.device);
    Paho paho(DeviceDial(r.device, MQTTVERSION_3_1_1), mock.mqtt_port());
    EXPECT_EQ(paho.Connect(), kAlertRc);
    EXPECT_NE(paho.tls_errors().find(kAlertText), std::string::npos) << "OpenSSL said: " << paho.tls_errors();
    nlohmann::json c = mock.LastConnect();
    EXPECT_EQ(c.value("outcome", ""), "refused") << c;
    EXPECT_EQ(c.value("refusal", ""), "tls-alert") << c;
    EXPECT_EQ(c.value("protocol", "?"), "") << "no CONNECT after a failed handshake: " << c;
  }
}

TEST(PahoTest, ServerCertificateVerifiesAgainstTheTlsCaOnly) {
  Mock mock;
  Dial dial = DeviceDial("device-a-active", MQTTVERSION_3_1_1);
  dial.trust_store = std::string(kPki) + "ca-a.pem";  // the devices' CA, not the server's
  Paho paho(dial, mock.mqtt_port());
  EXPECT_EQ(paho.Connect(), MQTTCLIENT_FAILURE);
  EXPECT_NE(paho.tls_errors().find("certificate verify failed"), std::string::npos) << paho.tls_errors();
}

TEST(PahoTest, TlsServerNameSelectsTheInstance) {
  Mock mock;
  std::string error;
  std::unique_ptr<TunnelProxy> proxy = TunnelProxy::Start(mock.mqtt_port(), &error);
  ASSERT_NE(proxy, nullptr) << error;
  auto via = [&](const std::string& device, const std::string& instance, int version) {
    Dial d = DeviceDial(device, version);
    d.host = instance + ".mqtt.aliyuncs.com";
    d.https_proxy = "127.0.0.1:" + std::to_string(proxy->port());
    Paho paho(d, 8883);  // the port is the proxy's business: any
    return paho.Connect();
  };
  // device-other's CA is registered in post-cn-otheraccount01 only.
  EXPECT_EQ(via("device-other", "post-cn-otheraccount01", MQTTVERSION_3_1_1), MQTTCLIENT_SUCCESS)
      << Describe(mock.Connects(1));
  nlohmann::json c = mock.LastConnect();
  EXPECT_EQ(c.value("server_name", ""), "post-cn-otheraccount01.mqtt.aliyuncs.com") << c;
  EXPECT_EQ(c.value("instance_id", ""), "post-cn-otheraccount01") << c;
  EXPECT_EQ(via("device-a-active", "post-cn-otheraccount01", MQTTVERSION_5), kNotAuthorized5);
  EXPECT_EQ(mock.LastConnect().value("instance_id", ""), "post-cn-otheraccount01");
  EXPECT_EQ(via("device-a-active", kPlatinum, MQTTVERSION_5), MQTTCLIENT_SUCCESS);
  EXPECT_EQ(mock.LastConnect().value("instance_id", ""), kPlatinum);
  // Without the name (localhost): the default instance, where device-other is unknown.
  EXPECT_EQ(ConnectOnce(mock, DeviceDial("device-other", MQTTVERSION_3_1_1)), kNotAuthorized311);
  EXPECT_EQ(mock.LastConnect().value("instance_id", ""), kPlatinum);
  const std::vector<std::string> want = {"post-cn-otheraccount01.mqtt.aliyuncs.com:8883",
                                         "post-cn-otheraccount01.mqtt.aliyuncs.com:8883",
                                         "post-cn-platinum01.mqtt.aliyuncs.com:8883"};
  EXPECT_EQ(proxy->requested(), want);
}

}  // namespace
}  // namespace onsmqtt::clients::testing
