// onsmqtt-runner: runs YAML scenarios against the embedded mock or a real
// endpoint. See runner/README.md and `onsmqtt-runner --help`.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "runner/app.h"
#include "runner/cli.h"
#include "runner/data_paths.h"

#if defined(__SANITIZE_THREAD__)
// cpp-httplib is a prebuilt, uninstrumented library whose function-local
// static std::regex objects are matched concurrently (read-only, safe); the
// sanitizer cannot see their thread-safe initialisation and reports races.
extern "C" const char* __tsan_default_suppressions() { return "race:libcpp-httplib.so\n"; }
#endif

namespace {

std::atomic<bool> g_interrupted{false};

// First Ctrl-C: stop starting scenarios and write the reports. Second: quit.
void OnSigint(int) {
  if (g_interrupted.exchange(true)) _exit(130);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace onsmqtt::runner;
  auto options = ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::cerr << "onsmqtt-runner: error: " << options.status().message() << "\n";
    return kExitUsage;
  }
  if (options->help) {
    std::cout << UsageText();
    return kExitPassed;
  }
  if (options->version) {
    std::cout << "onsmqtt-runner " << RunnerVersion() << "\n";
    return kExitPassed;
  }
  // scenarios/ and fixtures/default.yaml: here, else the installed copies.
  if (onsmqtt::Status s = ResolveDataDefaults(&*options, InstalledDataDir(ExecutablePath())); !s.ok()) {
    std::cerr << "onsmqtt-runner: error: " << s.message() << "\n";
    return kExitUsage;
  }
  std::signal(SIGINT, OnSigint);
  std::signal(SIGTERM, OnSigint);
  std::signal(SIGPIPE, SIG_IGN);
  AppEnvironment env;
  env.out = &std::cout;
  env.err = &std::cerr;
  env.stdout_is_tty = isatty(STDOUT_FILENO) != 0;
  env.getenv = [](const char* name) -> const char* { return std::getenv(name); };
  env.interrupted = &g_interrupted;
  return RunApp(*options, env);
}
