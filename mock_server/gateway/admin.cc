#include "mock_server/gateway/admin.h"

#include <arpa/inet.h>

#include "contract/crypto.h"
#include "contract/json_limits.h"

namespace onsmqtt::mock {

namespace {

AdminAnswer Json(int status, const nlohmann::json& j) {
  return AdminAnswer{status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

AdminAnswer Error(int status, const std::string& message) { return Json(status, {{"error", message}}); }

// Parses an untrusted body; nullopt (and *error set) when it is not JSON
// or beyond the limits (contract/json_limits.h).
std::optional<nlohmann::json> ParseBody(const std::string& body, AdminAnswer* error) {
  if (body.size() > kMaxAdminBodyBytes) {
    *error = Error(413, "the request body holds " + std::to_string(body.size()) +
                            " bytes; the admin API accepts at most " + std::to_string(kMaxAdminBodyBytes));
    return std::nullopt;
  }
  if (Status depth = CheckJsonDepth(body); !depth.ok()) {
    *error = Error(400, "the request body is " + depth.message() + "; the admin API accepts at most " +
                            std::to_string(kMaxJsonDepth));
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    *error = Error(400, "the request body must be JSON");
    return std::nullopt;
  }
  return j;
}

size_t LimitParam(const std::string& query) {
  for (const auto& [k, v] : ParseQueryString(query)) {
    if (k == "limit" && !v.empty() && v.size() < 10 && v.find_first_not_of("0123456789") == std::string::npos) {
      return static_cast<size_t>(std::stoul(v));
    }
  }
  return 0;
}

}  // namespace

bool IsLoopbackAddress(const std::string& addr) {
  std::string a = addr;
  if (a.rfind("::ffff:", 0) == 0) a = a.substr(7);
  in_addr v4{};
  if (inet_pton(AF_INET, a.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, a.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

AdminAnswer Admin::Handle(const HttpRequest& wire, const std::string& remote_addr) const {
  if (!p_.options->admin_remote && !IsLoopbackAddress(remote_addr)) {
    return Error(403, "the admin API answers loopback peers only (start the mock with --admin-remote)");
  }
  if (!p_.options->admin_token.empty()) {
    const std::string* auth = wire.Header("authorization");
    const std::string expected = "Bearer " + p_.options->admin_token;
    if (auth == nullptr || !ConstantTimeEquals(*auth, expected)) {
      return Error(401, "the admin API needs \"Authorization: Bearer <token>\" (--admin-token)");
    }
  }
  static constexpr std::string_view kPrefix = "/__admin/";
  std::string path = wire.path.size() >= kPrefix.size() ? wire.path.substr(kPrefix.size()) : "";
  while (!path.empty() && path.back() == '/') path.pop_back();
  return Route(wire.method, path, wire);
}

AdminAnswer Admin::Route(const std::string& method, const std::string& path, const HttpRequest& wire) const {
  if (method == "GET" && path == "health") {
    nlohmann::json health = {{"status", "ok"}, {"product", p_.contract->product}, {"version", p_.contract->version}};
    if (p_.mqtt_connections) health["mqtt_connections"] = p_.mqtt_connections();
    return Json(200, health);
  }
  if (method == "POST" && path == "reset") return ClearAll(p_.state->Reset());
  if (method == "POST" && path == "fixture") {
    AdminAnswer bad;
    std::optional<nlohmann::json> j = ParseBody(wire.body, &bad);
    if (!j) return bad;
    if (!j->is_object() || !j->contains("path") || !j->at("path").is_string()) {
      return Error(400, "expected {\"path\": \"<fixture file>\"}");
    }
    return ClearAll(p_.state->LoadFixture(j->at("path").get<std::string>()));
  }
  if (method == "GET" && path == "state") return Json(200, p_.state->Dump());
  if (method == "GET" && path == "vars") return Json(200, p_.state->Variables());
  if (method == "GET" && path == "journal") return Json(200, p_.journal->ToJson(LimitParam(wire.query)));
  if (method == "DELETE" && path == "journal") {
    p_.journal->Clear();
    return Json(200, {{"cleared", true}});
  }
  if (method == "GET" && path == "connects") return Json(200, Connects(LimitParam(wire.query)));
  if (method == "GET" && path == "faults") return Json(200, p_.faults->ToJson());
  if (method == "POST" && path == "faults") return PostFaults(wire.body);
  if (method == "DELETE" && path == "faults") {
    p_.faults->Clear();
    return Json(200, {{"cleared", true}});
  }
  if (method == "DELETE" && path.rfind("faults/", 0) == 0) {
    std::string id = path.substr(7);
    if (!p_.faults->Remove(id)) return Error(404, "no fault rule with id \"" + id + "\"");
    return Json(200, {{"removed", id}});
  }
  if (method == "POST" && path == "devices/register") return RegisterDevice(wire.body);
  return Error(404, "no admin endpoint " + method + " /__admin/" + path +
                        " (see mock_server/README.md: health, reset, fixture, state, vars, journal, connects, "
                        "faults, devices/register)");
}

nlohmann::json Admin::Connects(size_t limit) const {
  nlohmann::json connects = nlohmann::json::array();
  for (const JournalEntry& e : p_.journal->Entries()) {
    if (e.connect.is_null()) continue;
    nlohmann::json c = e.connect;
    c["time"] = FormatTimestamp(e.time, TimestampStyle::kMillis);
    connects.push_back(std::move(c));
  }
  if (limit > 0 && connects.size() > limit) connects.erase(connects.begin(), connects.end() - limit);
  return {{"connects", std::move(connects)}};
}

AdminAnswer Admin::ClearAll(Status loaded) const {
  if (!loaded.ok()) return Error(400, loaded.ToString());
  p_.journal->Clear();
  p_.faults->Clear();
  p_.throttle->Clear();
  if (p_.nonces != nullptr) p_.nonces->Clear();
  return Json(200, {{"reset", true}});
}

AdminAnswer Admin::PostFaults(const std::string& body) const {
  AdminAnswer bad;
  std::optional<nlohmann::json> j = ParseBody(body, &bad);
  if (!j) return bad;
  nlohmann::json list = j->is_array() ? *j : nlohmann::json::array({*j});
  std::vector<FaultRule> rules;
  for (size_t i = 0; i < list.size(); ++i) {
    StatusOr<FaultRule> rule = ParseFaultRule(list[i], *p_.contract);
    if (!rule.ok()) {
      std::string where = j->is_array() ? " (item " + std::to_string(i) + ")" : "";
      return Error(400, rule.status().message() + where);
    }
    rules.push_back(std::move(*rule));
  }
  nlohmann::json ids = nlohmann::json::array();
  for (auto& r : rules) ids.push_back(p_.faults->Add(std::move(r)));
  return Json(200, {{"ids", ids}});
}

AdminAnswer Admin::RegisterDevice(const std::string& body) const {
  AdminAnswer bad;
  std::optional<nlohmann::json> j = ParseBody(body, &bad);
  if (!j) return bad;
  if (!j->is_object() || !j->contains("instance_id") || !j->at("instance_id").is_string() || !j->contains("pem") ||
      !j->at("pem").is_string()) {
    return Error(400, "expected {\"instance_id\": \"...\", \"pem\": \"-----BEGIN CERTIFICATE-----...\"}");
  }
  StatusOr<nlohmann::json> device =
      p_.state->RegisterDeviceOnConnect(j->at("instance_id").get<std::string>(), j->at("pem").get<std::string>());
  if (!device.ok()) return Error(422, device.status().message());
  return Json(200, {{"device", *device}});
}

}  // namespace onsmqtt::mock
