// Targets and connect steps: where a session's broker is, which scenarios
// an endpoint skips, private keys as secrets.
#include <gtest/gtest.h>

#include "runner/execute/executor.h"
#include "runner/execute/target.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::TempDir;
using testing::WriteAll;

std::function<const char*(const char*)> Credentials() {
  return [](const char* name) -> const char* {
    if (std::string(name) == "ALIBABA_CLOUD_ACCESS_KEY_ID") return "LTAIid";
    if (std::string(name) == "ALIBABA_CLOUD_ACCESS_KEY_SECRET") return "secretvalue";
    return nullptr;
  };
}

TEST(ParseMqttEndpoint, Table) {
  const struct {
    std::string text;
    std::string host;
    int port;
    std::string address;
  } ok[] = {
      {"post-cn-x.mqtt.aliyuncs.com:8883", "post-cn-x.mqtt.aliyuncs.com", 8883, "post-cn-x.mqtt.aliyuncs.com:8883"},
      {"127.0.0.1:1", "127.0.0.1", 1, "127.0.0.1:1"},
      {"[::1]:8884", "::1", 8884, "[::1]:8884"},
  };
  for (const auto& c : ok) {
    StatusOr<MqttEndpoint> e = ParseMqttEndpoint(c.text);
    ASSERT_TRUE(e.ok()) << c.text << ": " << e.status().ToString();
    EXPECT_EQ(e->host, c.host);
    EXPECT_EQ(e->port, c.port);
    EXPECT_EQ(e->server_name, c.host);
    EXPECT_EQ(e->Address(), c.address);
  }
  for (const char* bad : {"host", ":8883", "host:", "host:0", "host:65536", "host:88a3", "::1:8883", "[]:1"}) {
    StatusOr<MqttEndpoint> e = ParseMqttEndpoint(bad);
    EXPECT_FALSE(e.ok()) << bad;
    EXPECT_NE(e.status().message().find("--mqtt-endpoint wants HOST:PORT"), std::string::npos) << bad;
  }
}

TEST(TargetMqtt, TheEmbeddedMockStartsItsListenerOnlyWhenAsked) {
  auto t = Target::Create(TargetOptions{});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE((*t)->has_mqtt());
  auto without = (*t)->Open("");
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->mqtt.has_value());
  auto with = (*t)->Open("", true);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  ASSERT_TRUE(with->mqtt.has_value());
  EXPECT_EQ(with->mqtt->host, "127.0.0.1");
  EXPECT_GT(with->mqtt->port, 0);
  EXPECT_EQ(with->mqtt->server_name, "localhost") << "the mock's default instance";
  EXPECT_EQ(with->mqtt->ca_pem, with->variables.at("mqtt.ca"));
  EXPECT_TRUE(with->mqtt->verify);
  // Private keys are secrets; certificates are not.
  EXPECT_TRUE(with->secret_values.count(with->variables.at("device.active.key")));
  EXPECT_TRUE(with->secret_values.count(with->variables.at("file.device_a_unregistered.key")));
  EXPECT_FALSE(with->secret_values.count(with->variables.at("device.active.pem")));
}

TEST(TargetMqtt, MqttEndpointIsForEndpoints) {
  TargetOptions o;
  o.mqtt_endpoint = "127.0.0.1:8883";
  auto mock = Target::Create(o);
  ASSERT_FALSE(mock.ok());
  EXPECT_NE(mock.status().message().find("the embedded mock starts its own MQTT listener"), std::string::npos);
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Credentials();
  o.mqtt_endpoint = "broker";
  EXPECT_FALSE(Target::Create(o).ok());
}

TEST(TargetMqtt, AnEndpointsBrokerComesFromMqttEndpointAndItsCaFromTheVarsFile) {
  TempDir dir;
  WriteAll(dir.File("vars.yaml"), "mqtt: {ca: \"-----BEGIN CERTIFICATE-----\"}\n");
  TargetOptions o;
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Credentials();
  auto none = Target::Create(o);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE((*none)->has_mqtt());
  EXPECT_FALSE((*none)->Open("", true)->mqtt.has_value());
  o.mqtt_endpoint = "post-cn-x.mqtt.aliyuncs.com:8883";
  o.vars_file = dir.File("vars.yaml");
  o.insecure = true;
  auto t = Target::Create(o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE((*t)->has_mqtt());
  auto session = (*t)->Open("", true);
  ASSERT_TRUE(session.ok() && session->mqtt.has_value());
  EXPECT_EQ(session->mqtt->Address(), "post-cn-x.mqtt.aliyuncs.com:8883");
  EXPECT_EQ(session->mqtt->server_name, "post-cn-x.mqtt.aliyuncs.com");
  EXPECT_EQ(session->mqtt->ca_pem, "-----BEGIN CERTIFICATE-----");
  EXPECT_FALSE(session->mqtt->verify) << "--insecure";
}

TEST(TargetMqtt, AnEndpointWithoutMqttEndpointSkipsScenariosWithConnectSteps) {
  TargetOptions o;
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Credentials();
  auto endpoint = Target::Create(o);
  ASSERT_TRUE(endpoint.ok());
  Scenario connects;
  Step step;
  step.kind = Step::Kind::kConnect;
  connects.cleanup.push_back(step);
  EXPECT_EQ(SkipReason(connects, **endpoint, RunOptions{}), "no MQTT endpoint (--mqtt-endpoint)");
  connects.requires_mock = true;
  connects.requires_reason = "why";
  EXPECT_EQ(SkipReason(connects, **endpoint, RunOptions{}), "needs a mock target: why") << "requires: mock first";
  o.mqtt_endpoint = "127.0.0.1:8883";
  auto with = Target::Create(o);
  ASSERT_TRUE(with.ok());
  connects.requires_mock = false;
  EXPECT_EQ(SkipReason(connects, **with, RunOptions{}), "");
  EXPECT_EQ(SkipReason(connects, *Target::Create(TargetOptions{}).value(), RunOptions{}), "");
}

TEST(IsSecretVariable, PrivateKeys) {
  for (const char* name : {"device.active.key", "file.device_a_unregistered.key", "key.owner.secret", "x.password"}) {
    EXPECT_TRUE(IsSecretVariable(name)) << name;
  }
  for (const char* name : {"device.active.pem", "key.owner.id", "mqtt.ca", "file.ca_a"}) {
    EXPECT_FALSE(IsSecretVariable(name)) << name;
  }
}

}  // namespace
}  // namespace onsmqtt::runner
