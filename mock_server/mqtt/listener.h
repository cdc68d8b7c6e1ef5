#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "contract/clock.h"
#include "contract/status.h"
#include "mock_server/model/state.h"
#include "mock_server/options.h"

// The broker's side of the contract: devices connect over mutual TLS and
// send MQTT (mock_server/README.md, "Devices: the MQTT listener").
//
//   - TLS 1.2 (MockOptions::mqtt_tls_version), OpenSSL, a client
//     certificate required. The server name <instance-id>.mqtt.aliyuncs.com
//     selects the instance; any other name selects the default instance.
//   - The decision is MockState::DecideConnect, made on a valid CONNECT
//     (with MqttRefusal::kTlsAlert also during the handshake, without
//     registering, so that a refusal is a TLS alert).
//   - Event loops (epoll, non-blocking OpenSSL), one per core up to two:
//     an idle device costs its buffers, not a thread. At most
//     MockOptions::mqtt_max_connections are open; more are closed at accept.
//   - Timeouts: a handshake or the CONNECT after it must arrive within 10 s;
//     a connected client silent for 1.5 x its keep-alive is dropped.
//
// Thread-safe: Stop() may be called from any thread (also by the destructor).
namespace onsmqtt::mock {

// One device connection's outcome, for the journal and /__admin/connects.
struct ConnectRecord {
  TimePoint time;
  std::string peer;         // address:port
  std::string server_name;  // TLS SNI, "" when none
  std::string instance_id;
  std::string client_id;
  std::string protocol;   // "3.1", "3.1.1", "5.0"; "" when no CONNECT arrived
  std::string device_sn;  // "" when no certificate could be read
  std::string ca_sn;
  std::string device_name;
  // "accepted", "refused" (the broker's decision), "rejected" (a bad client
  // id or protocol level), "no-connect" (closed before a CONNECT).
  std::string outcome;
  std::string reason;
  bool registered = false;  // this connect registered the certificate
  int connack = -1;         // the CONNACK code sent, -1 when none
  std::string refusal;      // "connack", "close", "tls-alert" when refused
};

struct ListenerParts {
  const MockOptions* options = nullptr;  // mqtt_* fields
  MockState* state = nullptr;
  const Clock* clock = nullptr;
  std::string certificate_pem;  // the server's certificate (and chain)
  std::string key_pem;
  std::string default_instance;                        // for server names that name no instance
  std::function<void(const ConnectRecord&)> observer;  // may be empty; called on loop threads
};

class MqttListener {
 public:
  // Binds host:port (0: a free port) and starts serving. Errors: bad
  // certificate or key (kInvalidArgument), cannot bind (kUnavailable).
  static StatusOr<std::unique_ptr<MqttListener>> Start(ListenerParts parts, const std::string& host, int port);
  virtual ~MqttListener() = default;

  virtual int port() const = 0;
  virtual size_t connections() const = 0;  // open now
  // Stops accepting, closes every connection, joins. Idempotent.
  virtual void Stop() = 0;
};

// The instance a TLS server name selects: "<id>.mqtt.aliyuncs.com" -> id,
// anything else -> "" (the caller's default).
std::string InstanceFromServerName(const std::string& server_name);

}  // namespace onsmqtt::mock
