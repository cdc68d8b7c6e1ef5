#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "contract/clock.h"
#include "contract/signer.h"
#include "runner/execute/client_adapter.h"
#include "runner/execute/target.h"
#include "runner/result/result.h"
#include "runner/scenario/scenario.h"

// Runs loaded scenarios against a target and returns typed results. Pass or
// fail is decided here; reporters only format.
//
// A scenario runs its steps in order and stops at the first step that fails
// or errors (later steps usually depend on it); all failed assertions of
// that step are kept. Cleanup steps always run afterwards and are reported,
// never judged. A scenario that fails is run again up to `retries` times
// on a fresh session; earlier attempts are kept in the result.
namespace onsmqtt::runner {

struct RunOptions {
  int jobs = 1;  // scenarios in flight at once
  // --shard I/N: run the scenarios whose stable hash of classname + name
  // falls into share I (1-based) of N. Deterministic across machines.
  int shard_index = 1;
  int shard_count = 1;
  std::vector<std::string> tags;     // non-empty: scenarios with any of these tags
  std::optional<std::regex> filter;  // searched in "classname.name" (and the file path)
  int retries = 0;                   // for scenarios that set none
  SignatureScheme default_scheme = SignatureScheme::kV3;
  bool allow_mutations = false;  // endpoints: run scenarios marked `mutates`
  uint64_t seed = 0;             // execution order and generated ids
  // Timestamps in requests and reports. Not owned; nullptr: the system clock.
  const Clock* clock = nullptr;
  // Set (e.g. by a SIGINT handler) to stop starting scenarios; bursts in
  // flight stop sending. Not owned; may be nullptr.
  const std::atomic<bool>* interrupted = nullptr;
  // The signal that set `interrupted` (SIGINT, SIGTERM), named in the
  // report. Not owned; may be nullptr.
  const std::atomic<int>* interrupt_signal = nullptr;
  // Endpoints: waits one throttling window before each scenario with burst
  // steps, the first included (calls of other scenarios, or of a run just
  // before this one, must not count against the burst). nullptr: sleeps a
  // little over the contract's one-second window, returning early when
  // interrupted. Tests replace it.
  std::function<void()> wait_throttling_window;
  // Called once per scenario as it finishes (also skipped ones), one call
  // at a time, from worker threads.
  std::function<void(const ScenarioResult&)> on_scenario;
  // --client: call and burst steps go through the pool's SDK adapters
  // (adapters/README.md); nullptr: the runner signs and sends them itself.
  // Not owned.
  ClientPool* client = nullptr;
};

// FNV-1a 64 of `text`: the same on every platform and run.
uint64_t StableHash(std::string_view text);

// True if the tag/filter/shard selection keeps `scenario` of `file`.
bool IsSelected(const ScenarioFile& file, const Scenario& scenario, const RunOptions& options);

// Why `scenario` cannot run on `target`, or "" when it can. On an
// endpoint: `requires: mock`, then connect steps without --mqtt-endpoint
// ("no MQTT endpoint (--mqtt-endpoint)": a scenario's later steps depend
// on its connects, so the whole scenario is skipped), then mutations
// without --allow-mutations, then a variable the endpoint lacks.
// With --client (options.client), then ClientSkipReason.
std::string SkipReason(const Scenario& scenario, const Target& target, const RunOptions& options);

// Why `scenario` cannot run through an adapter that said `hello`, or "" (the
// first reason, adapters/README.md "What runs through an adapter"): a step
// that needs raw control of the request ("needs the runner's own client:
// step 2 (bad signature) corrupts the signature"; removes the signature,
// fixes the nonce, shifts the timestamp, overrides the Host header or the
// API version, chooses where parameters travel, sends a parameter twice),
// or a scheme, method or format the client lacks ("the client
// pop-core-1.8.0 cannot sign with v3"). Cleanup steps count too; connect
// steps are the runner's own.
std::string ClientSkipReason(const Scenario& scenario, const ClientHello& hello);

// One scenario, retries included.
ScenarioResult RunScenario(const ScenarioFile& file, const Scenario& scenario, const Target& target,
                           const RunOptions& options);

// Every selected scenario, `jobs` at a time, in an order shuffled by the
// seed. Files keep their order and scenarios their order within a file in
// the result, whatever the execution order was; files with no selected
// scenario are left out. On an endpoint (one shared rate limit) scenarios
// with burst steps run after all others, one at a time, each after a
// throttling window. When interrupted, the scenarios not started are
// reported as skipped, `interrupted` is set, and a last file (suite
// "onsmqtt-runner") holds one errored result, classname kRunnerClassname,
// name "run interrupted", saying how many scenarios did not run.
RunResult RunAll(const std::vector<ScenarioFile>& files, const Target& target, const RunOptions& options);

}  // namespace onsmqtt::runner
