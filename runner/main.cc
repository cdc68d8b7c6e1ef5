// onsmqtt-runner: runs YAML scenarios against the embedded mock or a real
// endpoint. See runner/README.md and `onsmqtt-runner --help`.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "runner/app.h"
#include "runner/data_paths.h"

#if defined(__SANITIZE_THREAD__)
// cpp-httplib is a prebuilt, uninstrumented library whose function-local
// static std::regex objects are matched concurrently (read-only, safe); the
// sanitizer cannot see their thread-safe initialisation and reports races.
extern "C" const char* __tsan_default_suppressions() { return "race:libcpp-httplib.so\n"; }
#endif

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};

// First Ctrl-C or SIGTERM: stop starting scenarios and write the reports.
// Second: quit at once.
void OnSignal(int sig) {
  if (g_signal.exchange(sig) != 0) _exit(130);
  g_interrupted.store(true);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace onsmqtt::runner;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  AppEnvironment env;
  env.out = &std::cout;
  env.err = &std::cerr;
  env.stdout_is_tty = isatty(STDOUT_FILENO) != 0;
  env.getenv = [](const char* name) -> const char* { return std::getenv(name); };
  env.interrupted = &g_interrupted;
  env.interrupt_signal = &g_signal;
  if (argc > 0 && argv[0] != nullptr) env.program = argv[0];
  env.data_dir = InstalledDataDir(ExecutablePath());
  return RunCommandLine(std::vector<std::string>(argv + 1, argv + argc), env);
}
