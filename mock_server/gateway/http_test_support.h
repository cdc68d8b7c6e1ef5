#pragma once

// Test-only helpers for the HTTP layer's tests: a mock on port 0 with the
// default fixture, and a client that sends requests signed by
// contract/signer.h over real HTTP.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "contract/clock.h"
#include "contract/signer.h"
#include "mock_server/mock_server.h"

namespace onsmqtt::mock::testing {

inline constexpr char kDefaultFixture[] = "fixtures/default.yaml";

struct Reply {
  bool answered = false;  // false: no HTTP answer (connection error)
  int status = 0;
  std::string content_type;
  std::string request_id_header;
  std::string body;
  nlohmann::json json;  // parsed body when it is JSON, else discarded

  std::string Code() const { return json.is_object() && json.contains("Code") ? json.value("Code", "") : ""; }
};

inline Reply ToReply(const httplib::Result& r) {
  Reply out;
  if (!r) return out;
  out.answered = true;
  out.status = r->status;
  out.content_type = r->get_header_value("Content-Type");
  out.request_id_header = r->get_header_value("x-acs-request-id");
  out.body = r->body;
  out.json = nlohmann::json::parse(r->body, nullptr, false);
  return out;
}

// Sends `wire` as is (method, target, headers, body).
inline Reply SendWire(httplib::Client* client, const HttpRequest& wire) {
  httplib::Headers headers;
  std::string content_type;
  for (const auto& [k, v] : wire.headers) {
    if (ToLower(k) == "content-type") content_type = v;
    headers.emplace(k, v);
  }
  httplib::Request req;
  req.method = wire.method;
  req.path = wire.Target();
  req.headers = headers;
  req.body = wire.body;
  return ToReply(client->send(req));
}

class MockFixture {
 public:
  // Starts a mock with `options` (port forced to 0) and `fixture`.
  explicit MockFixture(MockOptions options = {}, const std::string& fixture = kDefaultFixture) {
    options.port = 0;
    options.quiet = true;
    server_ = std::make_unique<MockServer>(options);
    Status s = server_->LoadFixture(fixture);
    EXPECT_TRUE(s.ok()) << s.ToString();
    StatusOr<int> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = port.ok() ? *port : 0;
    vars_ = server_->Variables();
    client_ = NewClient();
  }

  std::unique_ptr<httplib::Client> NewClient() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(10, 0);
    return c;
  }

  const std::string& Var(const std::string& name) const {
    static const std::string kEmpty;
    auto it = vars_.find(name);
    EXPECT_NE(it, vars_.end()) << "fixture variable " << name;
    return it == vars_.end() ? kEmpty : it->second;
  }
  Credentials Key(const std::string& k) const { return {Var("key." + k + ".id"), Var("key." + k + ".secret"), ""}; }

  // ActiveDeviceCertificate on the platinum instance for device `device`.
  Call Activate(const std::string& device = "active") const {
    Call call;
    call.action = "ActiveDeviceCertificate";
    call.version = "2020-04-20";
    call.params = {{"MqttInstanceId", Var("instance.platinum.id")},
                   {"DeviceSn", Var("device." + device + ".sn")},
                   {"CaSn", Var("device." + device + ".ca_sn")}};
    call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
    return call;
  }

  Reply Send(const Call& call, const Credentials& creds, const Clock& clock = SystemClock::Instance(),
             httplib::Client* client = nullptr) const {
    return SendWire(client != nullptr ? client : client_.get(), SignCall(call, creds, clock).value());
  }
  Reply Admin(const std::string& method, const std::string& path, const std::string& body = "",
              const std::string& token = "") const {
    httplib::Request req;
    req.method = method;
    req.path = "/__admin/" + path;
    req.body = body;
    if (!body.empty()) req.headers.emplace("Content-Type", "application/json");
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    return ToReply(client_->send(req));
  }

  MockServer& server() { return *server_; }
  int port() const { return port_; }
  httplib::Client* client() { return client_.get(); }

 private:
  std::unique_ptr<MockServer> server_;
  int port_ = 0;
  std::map<std::string, std::string> vars_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace onsmqtt::mock::testing
