#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "contract/status.h"
#include "runner/execute/transport.h"

namespace onsmqtt::mock {
class MockServer;
struct Fixture;
}  // namespace onsmqtt::mock

// What scenarios run against: the embedded mock (the default; one fresh
// MockServer per scenario, on a free port, with the scenario's fixture, so
// order and -j never change results) or a real endpoint (one shared state;
// credentials from the environment, resource ids from a vars file).
namespace onsmqtt::runner {

struct TargetOptions {
  // Empty: the embedded mock. Else "https://onsmqtt.cn-hangzhou.aliyuncs.com".
  std::string url;
  // Endpoint only: a YAML map of variable -> value (see
  // runner/testdata/vars.example.yaml). Values may be "${env.NAME}".
  std::string vars_file;
  std::string ca_file;    // HTTPS endpoints: the CA bundle to verify with
  bool insecure = false;  // HTTPS endpoints: skip certificate verification (the MQTT broker's too)
  // Endpoint only: "HOST:PORT" of the MQTT-over-TLS broker connect steps
  // use ("[::1]:8883" for IPv6). Empty: connect steps cannot run there.
  std::string mqtt_endpoint;
  // Mock only: the fixture for scenarios that name none.
  std::string default_fixture = "fixtures/default.yaml";
  // The process environment; injectable for tests. Returns nullptr when unset.
  std::function<const char*(const char*)> getenv;
};

// Where connect steps connect, and how they check the broker.
struct MqttEndpoint {
  std::string host;
  int port = 0;
  std::string server_name;  // the default TLS server name (SNI)
  // The PEM CA the broker's certificate must verify against (the target's
  // mqtt.ca variable); empty: the system's store.
  std::string ca_pem;
  bool verify = true;           // false: --insecure
  std::string Address() const;  // "127.0.0.1:40123", "[::1]:8883"
};

// "host:port" or "[v6]:port" -> an endpoint (server name: the host).
// kInvalidArgument otherwise.
StatusOr<MqttEndpoint> ParseMqttEndpoint(const std::string& text);

// One scenario's view of the target. Movable; an embedded mock stops when
// its session is destroyed.
struct Session {
  Session();
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  TransportOptions transport;
  std::string host;    // the Host header requests carry
  std::string region;  // the default region
  std::map<std::string, std::string> variables;
  std::set<std::string> secret_values;  // values to redact (secrets, tokens, private keys)
  // Connect steps' broker; nullopt: none (an endpoint without
  // --mqtt-endpoint, a session opened without MQTT).
  std::optional<MqttEndpoint> mqtt;
  std::unique_ptr<mock::MockServer> mock;  // embedded target only
};

// True for variable names whose values are secret: "key.<k>.secret",
// "key.<k>.token", anything ending in "secret", "token" or "password", and
// private keys: "device.<k>.key", "file.<k>.key", anything ending in ".key".
bool IsSecretVariable(const std::string& name);

// Reads a vars file: a map of name -> scalar; nested maps are flattened
// with '.' ("instance: {platinum: {id: x}}" defines instance.platinum.id).
// "${env.NAME}" inside a value is replaced from the environment; an unset
// variable is a positioned error.
StatusOr<std::map<std::string, std::string>> LoadVarsFile(const std::string& path,
                                                          const std::function<const char*(const char*)>& getenv);

class Target {
 public:
  // Errors (kInvalidArgument, kParseError, kNotFound): a bad URL, a broken
  // vars file or fixture, missing credentials for an endpoint. They are
  // usage errors: nothing has been sent.
  static StatusOr<std::unique_ptr<Target>> Create(const TargetOptions& options);

  bool is_mock() const { return options_.url.empty(); }
  const char* kind() const { return is_mock() ? "mock" : "endpoint"; }
  // The endpoint URL; "embedded" for the mock.
  std::string endpoint() const { return is_mock() ? "embedded" : options_.url; }
  const std::string& region() const { return region_; }
  // Connect steps can run: the embedded mock (its own listener), or an
  // endpoint with --mqtt-endpoint.
  bool has_mqtt() const { return is_mock() || mqtt_.has_value(); }
  const TargetOptions& options() const { return options_; }

  // Names a scenario may use (for the loader's undefined-variable check):
  // the default fixture's variables for the mock; for an endpoint the vars
  // file and the credentials, plus the default fixture's names, so that
  // scenarios needing what the endpoint lacks load and are skipped (see
  // HasVariable and the executor).
  std::set<std::string> VariableNames() const;
  // The names for a scenario that runs with `fixture` (its file's or its own
  // `fixture:`; "" = the run's): that fixture's variables for the mock; for
  // an endpoint, which ignores fixtures, the vars file and the credentials
  // plus that fixture's names (so a scenario meant for it loads, and is
  // skipped when it needs what the endpoint lacks). Errors: the fixture does
  // not load (its positioned diagnostic).
  StatusOr<std::set<std::string>> VariableNamesFor(const std::string& fixture) const;
  // True if a session defines `name` (endpoints: the vars file or the
  // credentials; the mock: its fixture).
  bool HasVariable(const std::string& name) const { return variables_.count(name) != 0; }
  // Endpoint: the vars file and the credentials; the mock: the default
  // fixture's variables.
  const std::map<std::string, std::string>& variables() const { return variables_; }

  // A session for one scenario. Mock: starts a MockServer with `fixture`
  // (empty: the default), and its MQTT listener (on a free port) when
  // `mqtt` is true: Session::mqtt is then 127.0.0.1:<port> with server name
  // localhost (the mock's default instance) and the fixture's mqtt.ca.
  // Endpoint: the shared variables; Session::mqtt is --mqtt-endpoint's.
  // Thread-safe.
  StatusOr<Session> Open(const std::string& fixture, bool mqtt = false) const;

 private:
  explicit Target(TargetOptions options) : options_(std::move(options)) {}
  Status InitMock();
  Status InitEndpoint();
  // `path` read and checked once per run (YAML, PEM files, certificates):
  // every scenario's mock starts from a copy of it. Thread-safe.
  StatusOr<std::shared_ptr<const mock::Fixture>> LoadedFixture(const std::string& path) const;
  // The names a fixture file defines (MockServer::Variables()).
  StatusOr<std::set<std::string>> FixtureNames(const std::string& path) const;

  TargetOptions options_;
  std::string region_;
  std::map<std::string, std::string> variables_;  // endpoint; the default fixture's for the mock
  std::set<std::string> fixture_names_;           // endpoint: the default fixture's names
  std::optional<MqttEndpoint> mqtt_;              // endpoint: --mqtt-endpoint
  mutable std::mutex fixtures_mu_;
  mutable std::map<std::string, std::shared_ptr<const mock::Fixture>> fixtures_;  // GUARDED_BY(fixtures_mu_)
};

}  // namespace onsmqtt::runner
