#pragma once

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "contract/clock.h"
#include "contract/verifier.h"

// A tiny signed-API server for the executor's tests (before and besides
// the real mock): verifies signatures with the contract library, answers
// the gateway errors the auth variants provoke, throttles after `limit`
// successes, and records every request it saw.
namespace onsmqtt::runner::testing {

class FakeService {
 public:
  explicit FakeService(std::map<std::string, std::string> keys) : keys_(std::move(keys)) {
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
    server_.Get("/", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakeService() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_limit(int limit) { limit_ = limit; }
  // The next `n` valid calls answer HTTP 500 InternalError.
  void fail_next(int n) { fail_next_ = n; }

  std::vector<std::string> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::vector<std::string> signatures() const {
    std::lock_guard<std::mutex> lock(mu_);
    return signatures_;
  }
  int successes() const { return successes_.load(); }

 private:
  void Reply(httplib::Response& res, int status, const std::string& code, nlohmann::json body) {
    std::string id = NewRequestId();
    body["RequestId"] = id;
    if (!code.empty()) {
      body["Code"] = code;
      body["Message"] = "fake " + code;
      body["HostId"] = "onsmqtt.cn-hangzhou.aliyuncs.com";
      body["Recommend"] = "https://api.aliyun.com/troubleshoot?q=" + code;
    }
    res.status = status;
    res.set_header("x-acs-request-id", id);
    res.set_content(body.dump(), "application/json;charset=utf-8");
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    HttpRequest wire;
    wire.method = req.method;
    wire.path = "/";
    size_t q = req.target.find('?');
    wire.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const auto& [k, v] : req.headers) wire.headers.emplace_back(k, v);
    wire.body = req.body;
    ParsedRequest parsed;
    AuthOutcome o = ParseSignedRequest(wire, &parsed);
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(req.method + " " + req.target + " " + req.body);
      if (!parsed.provided_signature.empty()) signatures_.push_back(parsed.provided_signature);
    }
    if (!o.ok()) return Reply(res, 400, o.code(), {});
    auto key = keys_.find(parsed.access_key_id);
    if (key == keys_.end()) return Reply(res, 404, "InvalidAccessKeyId.NotFound", {});
    o = VerifySignature(wire, parsed, key->second);
    if (!o.ok()) return Reply(res, 400, o.code(), {});
    if (!TimestampWithin(parsed, SystemClock::Instance(), std::chrono::minutes(15))) {
      return Reply(res, 400, "InvalidTimeStamp.Expired", {});
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!nonces_.insert(parsed.nonce).second) return Reply(res, 400, "SignatureNonceUsed", {});
    }
    if (parsed.action != "ActiveDeviceCertificate") return Reply(res, 404, "InvalidAction.NotFound", {});
    if (fail_next_.fetch_sub(1) > 0) return Reply(res, 500, "InternalError", {});
    if (successes_.fetch_add(1) >= limit_) {
      successes_.fetch_sub(1);
      return Reply(res, 400, "Throttling.User", {});
    }
    std::string sn;
    for (const auto& [k, v] : parsed.params) {
      if (k == "DeviceSn") sn = v;
    }
    Reply(res, 200, "", {{"DeviceSn", sn}});
  }

  std::map<std::string, std::string> keys_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> limit_{1 << 30};
  std::atomic<int> fail_next_{0};
  std::atomic<int> successes_{0};
  mutable std::mutex mu_;
  std::vector<std::string> seen_;
  std::vector<std::string> signatures_;
  std::set<std::string> nonces_;
};

}  // namespace onsmqtt::runner::testing
