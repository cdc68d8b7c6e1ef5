// onsmqtt-mock: flags -> MockOptions -> MockServer -> exit code.
//   0  stopped by SIGINT/SIGTERM
//   2  usage or fixture error (the positioned diagnostic is printed)
//   3  cannot bind or serve
#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "mock_server/gateway/cli.h"
#include "mock_server/mock_server.h"

namespace {

using onsmqtt::Status;

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each of up to 8 x cores threads its own heap arena; the
  // mock's workers then keep up to 16 fragmented heaps on 2 cores and RSS
  // creeps for minutes under load (bench/soak.sh: 64 -> 91 MB from minute
  // 2 to 10). Two arenas hold it flat (35 -> 36 MB).
  mallopt(M_ARENA_MAX, 2);
  onsmqtt::StatusOr<onsmqtt::mock::MockCommandLine> cl =
      onsmqtt::mock::ParseMockCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  if (std::optional<int> code = onsmqtt::mock::AnswerCommandLine(cl, std::cout, std::cerr)) return *code;
  const onsmqtt::mock::MockOptions& options = cl->options;
  onsmqtt::mock::MockServer server(options);
  if (Status s = server.LoadFixture(cl->fixture); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  onsmqtt::StatusOr<int> port = server.Start();
  if (!port.ok()) {
    std::fprintf(stderr, "onsmqtt-mock: %s\n", port.status().ToString().c_str());
    return port.status().code() == Status::Code::kUnavailable ? 3 : 2;
  }
  std::printf("onsmqtt-mock listening on %s://%s:%d/\n", server.tls() ? "https" : "http", options.host.c_str(), *port);
  if (server.mqtt_port() >= 0) {
    std::printf("onsmqtt-mock MQTT (mutual TLS) on mqtts://%s:%d\n", options.host.c_str(), server.mqtt_port());
  }
  std::fflush(stdout);
  // Signals only set a flag; the main thread polls it (a handler may not
  // call Stop()).
  while (!g_stop) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  server.Stop();
  return 0;
}
