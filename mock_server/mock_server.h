#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "contract/status.h"
#include "mock_server/options.h"

// The mock as a library: what onsmqtt-mock's main, the runner's embedded
// default target and the tests use. No third-party types here but
// nlohmann::json (header-only), the journal's form.
//
//   MockOptions options;          // port 0: a free port
//   MockServer mock(options);
//   if (Status s = mock.LoadFixture("fixtures/default.yaml"); !s.ok()) ...
//   StatusOr<int> port = mock.Start();   // listening when this returns
//   ... http://127.0.0.1:<port>/ ...
//   mock.Stop();                  // also done by the destructor
namespace onsmqtt::mock {

struct Fixture;  // mock_server/model/fixture.h

class MockServer {
 public:
  explicit MockServer(MockOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // REQUIRES: before Start(). Positioned errors for broken fixtures.
  Status LoadFixture(const std::string& fixture_path);
  // A fixture file read and checked once (its YAML, PEM files and
  // certificates), for many servers: the runner starts one per scenario.
  static StatusOr<std::shared_ptr<const Fixture>> ReadFixture(const std::string& fixture_path);
  // LoadFixture from what ReadFixture returned; no file is read again.
  // REQUIRES: before Start(); `fixture` is not null.
  Status LoadFixture(const std::shared_ptr<const Fixture>& fixture);

  // Binds, starts serving on a background thread and returns the bound
  // port; the server accepts connections when this returns.
  StatusOr<int> Start();
  // Stops accepting, finishes in-flight requests, joins. Idempotent.
  void Stop();

  int port() const;
  bool tls() const;
  // The MQTT listener's bound port (MockOptions::mqtt_port), or -1 when the
  // mock has none.
  int mqtt_port() const;
  // The fixture's variables (see MockState::Variables), for the runner.
  std::map<std::string, std::string> Variables() const;
  // Exactly what GET /__admin/journal?limit=N answers: {"capacity",
  // "recorded" (since the last clear, monotonic until the next), "requests":
  // the newest `limit` entries (0: all), oldest first, each with its
  // "violations" and "signature"}; mock_server/README.md documents an entry.
  // Before Start(): no request yet. Thread-safe.
  nlohmann::json Journal(size_t limit = 0) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onsmqtt::mock
