// The classification against the real broker: the mock's MQTT listener in
// each of its refusal forms (connack, close, tls-alert) and TLS versions.
// The scenarios run the default form end to end; the others are the mock's
// configuration, which scenarios do not choose.
#include <gtest/gtest.h>

#include "contract/yaml_tree.h"
#include "mock_server/mock_server.h"
#include "runner/execute/device_client.h"
#include "runner/execute/device_client_test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::Device;
using testing::Pki;

class MockBroker {
 public:
  MockBroker(mock::MqttRefusal refusal, const std::string& tls_version) {
    mock::MockOptions options;
    options.quiet = true;
    options.mqtt_port = 0;
    options.mqtt_refusal = refusal;
    options.mqtt_tls_version = tls_version;
    server_ = std::make_unique<mock::MockServer>(options);
    EXPECT_TRUE(server_->LoadFixture("fixtures/default.yaml").ok());
    EXPECT_TRUE(server_->Start().ok());
  }
  int port() const { return server_->mqtt_port(); }

 private:
  std::unique_ptr<mock::MockServer> server_;
};

mqtt::Connect ConnectAs(mqtt::Version v) {
  mqtt::Connect c;
  c.version = v;
  c.client_id = "GID_test@@@device";
  return c;
}

struct FormCase {
  mock::MqttRefusal refusal;
  const char* tls_version;
  DeviceOutcomeKind refused;  // how an inactive device's connect ends
};

class RefusalForms : public ::testing::TestWithParam<FormCase> {};

TEST_P(RefusalForms, ClassifyEveryOutcome) {
  const FormCase& c = GetParam();
  MockBroker broker(c.refusal, c.tls_version);
  ASSERT_GT(broker.port(), 0);
  for (mqtt::Version v : {mqtt::Version::k31, mqtt::Version::k311, mqtt::Version::k5}) {
    SCOPED_TRACE(mqtt::VersionName(v));
    DeviceOutcome accepted = ConnectDevice(Device(broker.port(), "device-a-active"), ConnectAs(v));
    EXPECT_EQ(accepted.kind, DeviceOutcomeKind::kConnack) << accepted.reason;
    EXPECT_EQ(accepted.code, 0);
    EXPECT_EQ(accepted.tls_version, std::string("TLSv") + c.tls_version);
    for (const char* device : {"device-a-inactive", "device-unknown-ca", "device-a-expired", "device-b"}) {
      SCOPED_TRACE(device);
      DeviceOutcome refused = ConnectDevice(Device(broker.port(), device), ConnectAs(v));
      EXPECT_EQ(refused.kind, c.refused) << DescribeOutcome(refused, v);
      if (c.refused == DeviceOutcomeKind::kConnack) {
        EXPECT_EQ(refused.code, mqtt::NotAuthorizedCode(v));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Mock, RefusalForms,
    ::testing::Values(FormCase{mock::MqttRefusal::kConnack, "1.2", DeviceOutcomeKind::kConnack},
                      FormCase{mock::MqttRefusal::kClose, "1.2", DeviceOutcomeKind::kClosed},
                      FormCase{mock::MqttRefusal::kTlsAlert, "1.2", DeviceOutcomeKind::kRefusedTls},
                      FormCase{mock::MqttRefusal::kTlsAlert, "1.3", DeviceOutcomeKind::kRefusedTls}));

TEST(RefusalForms, AHandshakeAloneIsRefusedOnlyInTheTlsAlertForm) {
  MockBroker connack(mock::MqttRefusal::kConnack, "1.2");
  EXPECT_EQ(ConnectDevice(Device(connack.port(), "device-a-inactive"), std::nullopt).kind,
            DeviceOutcomeKind::kHandshakeOk);
  MockBroker alert(mock::MqttRefusal::kTlsAlert, "1.2");
  DeviceOutcome o = ConnectDevice(Device(alert.port(), "device-a-inactive"), std::nullopt);
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kRefusedTls) << o.reason;
  EXPECT_NE(o.reason.find("alert"), std::string::npos) << o.reason;
}

}  // namespace
}  // namespace onsmqtt::runner
