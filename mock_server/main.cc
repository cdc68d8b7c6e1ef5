// onsmqtt-mock: flags -> MockOptions -> MockServer -> exit code.
//   0  stopped by SIGINT/SIGTERM
//   2  usage or fixture error (the positioned diagnostic is printed)
//   3  cannot bind or serve
#include <malloc.h>

#include <csignal>
#include <cstdio>
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
  // glibc's arena per thread lets RSS creep under load (bench/soak.sh: 64 ->
  // 91 MB in 10 min); two arenas hold it flat (35 -> 36 MB).
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
  onsmqtt::mock::PrintListening(server, options.host, stdout);
  // Signals only set a flag, polled here (a handler may not call Stop()).
  while (!g_stop) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  server.Stop();
  return 0;
}
