#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "contract/clock.h"
#include "runner/cli.h"

// The whole runner behind main(): load, select, run, report, and map the
// result to an exit code. In-process, so tests drive it like the binary.
namespace onsmqtt::runner {

enum ExitCode {
  kExitPassed = 0,          // every selected scenario passed (skips allowed)
  kExitFailed = 1,          // the contract was not met
  kExitUsage = 2,           // usage or scenario errors; nothing ran
  kExitHarness = 3,         // the target was unreachable, the harness failed, or interrupted
  kExitNothingSelected = 4  // the selection matched no scenario (without --allow-empty); nothing ran
};

struct AppEnvironment {
  std::ostream* out = nullptr;  // console report
  std::ostream* err = nullptr;  // diagnostics
  bool stdout_is_tty = false;
  // The process environment (NO_COLOR, credentials, ${env.X}); nullptr when unset.
  std::function<const char*(const char*)> getenv;
  const Clock* clock = nullptr;                        // nullptr: the system clock
  const std::atomic<bool>* interrupted = nullptr;      // set on SIGINT/SIGTERM
  const std::atomic<int>* interrupt_signal = nullptr;  // which one; may be nullptr
  // How the runner was invoked (argv[0]), for the re-run command printed
  // under a failure.
  std::string program = "onsmqtt-runner";
  // The installed data folder (InstalledDataDir()): where the defaults
  // scenarios/ and fixtures/default.yaml are found when the current folder
  // has none. "" when unknown.
  std::string data_dir;
};

// Parses `args` (argv without the program), resolves the default data
// paths (ResolveDataDefaults) and runs. A usage error exits 2
// and, unless the arguments ask for no run (--check, --list), replaces the
// reports named in the arguments (see ReportPathsOf) with one saying so.
int RunCommandLine(const std::vector<std::string>& args, const AppEnvironment& env);

// Runs with parsed options. Every run writes its reports, whatever the
// exit code: the results (0, 1, 3), or one <error> saying why nothing ran
// (2: the target options or the scenario files; 4: the selection).
int RunApp(const CliOptions& options, const AppEnvironment& env);

// Runner version string ("0.1.0").
const char* RunnerVersion();

}  // namespace onsmqtt::runner
