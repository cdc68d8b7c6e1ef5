#pragma once

// Helpers of paho_test.cc: the mock in-process with its MQTT listener, its
// API called without signature (auth off) and its /__admin/connects, and a
// Paho C synchronous client (MQTTClient, paho-mqtt3cs) presenting one of
// the test PKI's device certificates.

#include <MQTTClient.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "mock_server/mock_server.h"

namespace onsmqtt::clients::testing {

inline constexpr char kFixture[] = "fixtures/default.yaml";
inline constexpr char kPki[] = "fixtures/pki/";
inline constexpr char kOwnerKeyId[] = "LTAI5tQ8mV3nR7kP2xW9bJ4e";  // fixtures/default.yaml
inline constexpr char kPlatinum[] = "post-cn-platinum01";
inline constexpr int kNotAuthorized311 = 5;   // CONNACK return code
inline constexpr int kNotAuthorized5 = 0x87;  // CONNACK reason code (135)

// The mock on free ports (HTTP and MQTT), auth off, quiet.
class Mock {
 public:
  explicit Mock(mock::MqttRefusal refusal = mock::MqttRefusal::kConnack) {
    // Paho reads https_proxy/http_proxy from the environment when a client
    // sets none: the tests choose their proxy themselves.
    ::unsetenv("https_proxy");
    ::unsetenv("http_proxy");
    mock::MockOptions options;
    options.port = 0;
    options.mqtt_port = 0;
    options.auth = mock::AuthMode::kOff;
    options.quiet = true;
    options.mqtt_refusal = refusal;
    server_ = std::make_unique<mock::MockServer>(options);
    Status loaded = server_->LoadFixture(kFixture);
    EXPECT_TRUE(loaded.ok()) << loaded.ToString();
    StatusOr<int> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port.ok() ? *port : 0);
    http_->set_read_timeout(10, 0);
    vars_ = server_->Variables();
  }

  int mqtt_port() const { return server_->mqtt_port(); }
  std::string var(const std::string& name) const {
    auto it = vars_.find(name);
    EXPECT_NE(it, vars_.end()) << name;
    return it == vars_.end() ? "" : it->second;
  }

  // An API call without signature, as the owner, on post-cn-platinum01.
  nlohmann::json Api(const std::string& action, httplib::Params params) const {
    params.emplace("Action", action);
    params.emplace("Version", "2020-04-20");
    params.emplace("AccessKeyId", kOwnerKeyId);
    params.emplace("MqttInstanceId", kPlatinum);
    httplib::Result r = http_->Post("/", params);
    EXPECT_TRUE(r) << action << ": no answer";
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }

  // The most recent `n` connect records, oldest first.
  nlohmann::json Connects(size_t n) const {
    httplib::Result r = http_->Get("/__admin/connects?limit=" + std::to_string(n));
    EXPECT_TRUE(r && r->status == 200) << "GET /__admin/connects";
    nlohmann::json j = r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
    return j.is_object() && j.contains("connects") ? j["connects"] : nlohmann::json::array();
  }
  nlohmann::json LastConnect() const {
    nlohmann::json c = Connects(1);
    return c.empty() ? nlohmann::json::object() : c.back();
  }

 private:
  std::unique_ptr<mock::MockServer> server_;
  std::unique_ptr<httplib::Client> http_;
  std::map<std::string, std::string> vars_;
};

// MQTTResponse::reasonCode as a number. Paho stores its negative MQTTCLIENT_*
// errors in this enum MQTTReasonCodes field, whose values are all positive:
// reading it as the enum is undefined (UBSan: "not a valid value"), so its
// bytes are read as an int.
inline int ReasonCode(const MQTTResponse& r) {
  static_assert(sizeof r.reasonCode == sizeof(int));
  int code = 0;
  std::memcpy(&code, &r.reasonCode, sizeof code);
  return code;
}

// How a client connects: which device certificate, which MQTT version
// (MQTTVERSION_DEFAULT, _3_1, _3_1_1 or _5), which host (the TLS server
// name) and proxy, which trust store.
struct Dial {
  std::string device = "device-a-active";
  int version = MQTTVERSION_3_1_1;
  std::string host = "localhost";
  std::string https_proxy;  // "127.0.0.1:PORT": Paho tunnels through HTTP CONNECT
  std::string trust_store = std::string(kPki) + "tls-ca.pem";
  std::string client_id = "GID_test@@@paho1";
};

// One Paho MQTTClient. Connect() answers MQTTClient_connect's return code
// (3.x: the CONNACK return code, or a negative MQTTCLIENT_* error) or
// MQTTClient_connect5's reasonCode (5.0).
class Paho {
 public:
  Paho(const Dial& dial, int port) : dial_(dial) {
    std::string uri = "ssl://" + dial.host + ":" + std::to_string(port);
    MQTTClient_createOptions create = MQTTClient_createOptions_initializer;
    create.MQTTVersion = dial.version == MQTTVERSION_5 ? MQTTVERSION_5 : MQTTVERSION_DEFAULT;
    int rc = MQTTClient_createWithOptions(&client_, uri.c_str(), dial.client_id.c_str(), MQTTCLIENT_PERSISTENCE_NONE,
                                          nullptr, &create);
    EXPECT_EQ(rc, MQTTCLIENT_SUCCESS) << "MQTTClient_createWithOptions " << uri;
  }
  ~Paho() {
    if (connected_) Disconnect();
    MQTTClient_destroy(&client_);
  }
  Paho(const Paho&) = delete;
  Paho& operator=(const Paho&) = delete;

  int Connect() {
    std::string pem = kPki + dial_.device + ".pem";
    std::string key = kPki + dial_.device + ".key";
    MQTTClient_SSLOptions ssl = MQTTClient_SSLOptions_initializer;
    ssl.trustStore = dial_.trust_store.c_str();
    ssl.keyStore = pem.c_str();
    ssl.privateKey = key.c_str();
    ssl.enableServerCertAuth = 1;  // the chain, against trustStore
    // The host name too, unless a proxy carries a name the certificate
    // (localhost, 127.0.0.1) does not have.
    ssl.verify = dial_.https_proxy.empty() ? 1 : 0;
    ssl.sslVersion = MQTT_SSL_VERSION_TLS_1_2;
    ssl.ssl_error_cb = [](const char* text, size_t len, void* self) {
      static_cast<Paho*>(self)->tls_errors_.append(text, len);
      return 0;
    };
    ssl.ssl_error_context = this;
    MQTTClient_connectOptions opts = MQTTClient_connectOptions_initializer;
    if (dial_.version == MQTTVERSION_5) {
      MQTTClient_connectOptions five = MQTTClient_connectOptions_initializer5;  // cleanstart, MQTTVersion 5
      opts = five;
    }
    opts.keepAliveInterval = 30;
    opts.connectTimeout = 10;
    opts.ssl = &ssl;
    if (!dial_.https_proxy.empty()) opts.httpsProxy = dial_.https_proxy.c_str();
    int rc = 0;
    if (dial_.version == MQTTVERSION_5) {
      MQTTResponse r = MQTTClient_connect5(client_, &opts, nullptr, nullptr);
      rc = ReasonCode(r);
      MQTTResponse_free(r);
    } else {
      opts.MQTTVersion = dial_.version;
      rc = MQTTClient_connect(client_, &opts);
    }
    connected_ = rc == MQTTCLIENT_SUCCESS;
    return rc;
  }

  // PUBLISH QoS 1 and wait for its PUBACK: MQTTCLIENT_SUCCESS or an error.
  int PublishQos1(const std::string& topic, const std::string& payload) {
    MQTTClient_message message = MQTTClient_message_initializer;
    message.payload = const_cast<char*>(payload.data());
    message.payloadlen = static_cast<int>(payload.size());
    message.qos = 1;
    MQTTClient_deliveryToken token = 0;
    int rc = 0;
    if (dial_.version == MQTTVERSION_5) {
      MQTTResponse r = MQTTClient_publishMessage5(client_, topic.c_str(), &message, &token);
      rc = ReasonCode(r);
      MQTTResponse_free(r);
    } else {
      rc = MQTTClient_publishMessage(client_, topic.c_str(), &message, &token);
    }
    return rc != MQTTCLIENT_SUCCESS ? rc : MQTTClient_waitForCompletion(client_, token, 10000);
  }

  // SUBSCRIBE at QoS 1: the granted QoS (1), 0x80, or a negative error.
  // (3.x: MQTTClient_subscribe answers MQTTCLIENT_SUCCESS and keeps the
  // granted QoS; MQTTClient_subscribeMany writes it back.)
  int SubscribeQos1(const std::string& filter) {
    if (dial_.version != MQTTVERSION_5) {
      char* topics[1] = {const_cast<char*>(filter.c_str())};
      int qos[1] = {1};
      int rc = MQTTClient_subscribeMany(client_, 1, topics, qos);
      return rc == MQTTCLIENT_SUCCESS ? qos[0] : rc;
    }
    MQTTResponse r = MQTTClient_subscribe5(client_, filter.c_str(), 1, nullptr, nullptr);
    int rc = ReasonCode(r);
    MQTTResponse_free(r);
    return rc;
  }

  int Disconnect() {
    connected_ = false;
    if (dial_.version == MQTTVERSION_5) return MQTTClient_disconnect5(client_, 1000, MQTTREASONCODE_SUCCESS, nullptr);
    return MQTTClient_disconnect(client_, 1000);
  }

  // What OpenSSL said through MQTTClient_SSLOptions::ssl_error_cb.
  const std::string& tls_errors() const { return tls_errors_; }

 private:
  Dial dial_;
  MQTTClient client_ = nullptr;
  bool connected_ = false;
  std::string tls_errors_;
};

// Connects once with `dial`, then disconnects: the connect's code.
inline int ConnectOnce(const Mock& mock, const Dial& dial) {
  Paho paho(dial, mock.mqtt_port());
  return paho.Connect();
}

}  // namespace onsmqtt::clients::testing
