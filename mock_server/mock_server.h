#pragma once

#include <map>
#include <memory>
#include <string>

#include "contract/status.h"
#include "mock_server/options.h"

// The mock as a library: what onsmqtt-mock's main, the runner's embedded
// default target and the tests use. No third-party types here.
//
//   MockOptions options;          // port 0: a free port
//   MockServer mock(options);
//   if (Status s = mock.LoadFixture("fixtures/default.yaml"); !s.ok()) ...
//   StatusOr<int> port = mock.Start();   // listening when this returns
//   ... http://127.0.0.1:<port>/ ...
//   mock.Stop();                  // also done by the destructor
namespace onsmqtt::mock {

class MockServer {
 public:
  explicit MockServer(MockOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // REQUIRES: before Start(). Positioned errors for broken fixtures.
  Status LoadFixture(const std::string& fixture_path);

  // Binds, starts serving on a background thread and returns the bound
  // port; the server accepts connections when this returns.
  StatusOr<int> Start();
  // Stops accepting, finishes in-flight requests, joins. Idempotent.
  void Stop();

  int port() const;
  bool tls() const;
  // The fixture's variables (see MockState::Variables), for the runner.
  std::map<std::string, std::string> Variables() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onsmqtt::mock
