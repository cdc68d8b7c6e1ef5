#pragma once

#include <atomic>
#include <functional>
#include <ostream>

#include "contract/clock.h"
#include "runner/cli.h"

// The whole runner behind main(): load, select, run, report, and map the
// result to an exit code. In-process, so tests drive it like the binary.
namespace onsmqtt::runner {

enum ExitCode {
  kExitPassed = 0,   // every selected scenario passed (skips allowed)
  kExitFailed = 1,   // the contract was not met
  kExitUsage = 2,    // usage or scenario errors; nothing ran
  kExitHarness = 3,  // the target was unreachable, the harness failed, or interrupted
};

struct AppEnvironment {
  std::ostream* out = nullptr;  // console report
  std::ostream* err = nullptr;  // diagnostics
  bool stdout_is_tty = false;
  // The process environment (NO_COLOR, credentials, ${env.X}); nullptr when unset.
  std::function<const char*(const char*)> getenv;
  const Clock* clock = nullptr;                    // nullptr: the system clock
  const std::atomic<bool>* interrupted = nullptr;  // set on SIGINT
};

int RunApp(const CliOptions& options, const AppEnvironment& env);

// Runner version string ("0.1.0").
const char* RunnerVersion();

}  // namespace onsmqtt::runner
