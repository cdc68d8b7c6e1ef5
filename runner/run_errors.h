#pragma once

#include <string>
#include <vector>

#include "contract/clock.h"
#include "runner/execute/executor.h"
#include "runner/result/result.h"
#include "runner/scenario/loader.h"

// Results for runs that could not start: a usage error, scenario files
// that did not load, a selection that matches nothing. Each is written as
// the run's reports, so that a report of an earlier run never stays behind
// looking green, and every consumer sees an <error> saying why.
namespace onsmqtt::runner {

// One errored result, classname kRunnerClassname, in a suite
// "onsmqtt-runner": `name` ("command line", "selection"), `error` the
// cause ("usage error: ...", "nothing selected: ..."), one line or more,
// of kind `kind` (kUsage, kSelection).
RunResult RunnerErrorRun(const std::string& name, ErrorKind kind, const std::string& error, TimePoint now);

// One errored result per file that did not load (classname
// onsmqtt.scenario_files, error type "scenario"), listing its diagnostics.
RunResult LoadErrorRun(const std::vector<Diagnostic>& errors, TimePoint now);

// How many scenarios of `files` the selection keeps.
size_t CountSelected(const std::vector<ScenarioFile>& files, const RunOptions& options);

struct SelectionInput {
  std::vector<std::string> paths;  // what was searched
  std::vector<std::string> tags;   // --tags
  std::string filter;              // --filter
  int shard_index = 1, shard_count = 1;
};

// Why nothing was selected, one line: no scenario file under the paths, or
// which of --tags (unknown tags, with "did you mean" and the tags in use),
// --filter and --shard left nothing, out of how many scenarios.
std::string EmptySelectionReason(const std::vector<ScenarioFile>& files, const SelectionInput& input);

}  // namespace onsmqtt::runner
