#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract.h"
#include "contract/http_message.h"
#include "mock_server/gateway/faults.h"
#include "mock_server/gateway/journal.h"
#include "mock_server/gateway/nonce_cache.h"
#include "mock_server/gateway/throttle.h"
#include "mock_server/model/state.h"
#include "mock_server/options.h"

// The admin API under /__admin/ (JSON in, JSON out):
//
//   GET    /__admin/health            {"status":"ok","product","version"}, and
//                                     "mqtt_connections" (open now) with a listener
//   POST   /__admin/reset             state back to the fixture; journal,
//                                     faults, throttle windows and nonces cleared
//   POST   /__admin/fixture           {"path": "fixtures/x.yaml"}: load another
//                                     fixture (then as reset)
//   GET    /__admin/state             MockState::Dump() (secrets redacted)
//   GET    /__admin/vars              MockState::Variables(): the fixture's
//                                     names, INCLUDING its test secrets
//                                     (key.<k>.secret) — it is the test fixture
//   GET    /__admin/journal[?limit=N] recent requests (never secrets)
//   DELETE /__admin/journal
//   GET    /__admin/connects[?limit=N] devices' connects to the MQTT listener
//                                     (the journal's CONNECT entries), oldest first
//   GET    /__admin/faults            fault rules (faults.h)
//   POST   /__admin/faults            one rule object or an array of them
//   DELETE /__admin/faults[/<id>]     all rules, or one
//   POST   /__admin/devices/register  {"instance_id","pem"}: registration on
//                                     connect; 200 {"device"} or 422 {"error"}
//
// Access: loopback peers only unless MockOptions::admin_remote (403
// otherwise); with MockOptions::admin_token, "Authorization: Bearer <token>"
// is required (401 otherwise). Errors are {"error": "..."}; an unknown path
// is 404.
namespace onsmqtt::mock {

struct AdminAnswer {
  int status = 200;
  std::string body;  // JSON
};

struct AdminParts {
  const Contract* contract = nullptr;
  const MockOptions* options = nullptr;
  MockState* state = nullptr;
  Journal* journal = nullptr;
  Faults* faults = nullptr;
  Throttle* throttle = nullptr;
  NonceCache* nonces = nullptr;  // may be null
  // MQTT connections open now; empty when the mock has no listener.
  std::function<size_t()> mqtt_connections;
};

// 127.0.0.0/8, ::1 and ::ffff:127.x.x.x.
bool IsLoopbackAddress(const std::string& addr);

class Admin {
 public:
  explicit Admin(AdminParts parts) : p_(parts) {}

  // `wire.path` is the full path ("/__admin/health"); `remote_addr` the
  // peer's address as the socket reports it.
  AdminAnswer Handle(const HttpRequest& wire, const std::string& remote_addr) const;

 private:
  AdminAnswer Route(const std::string& method, const std::string& path, const HttpRequest& wire) const;
  AdminAnswer ClearAll(Status loaded) const;
  nlohmann::json Connects(size_t limit) const;
  AdminAnswer PostFaults(const std::string& body) const;
  AdminAnswer RegisterDevice(const std::string& body) const;

  AdminParts p_;
};

}  // namespace onsmqtt::mock
