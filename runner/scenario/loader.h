#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "contract/source_location.h"
#include "contract/status.h"
#include "runner/scenario/scenario.h"

// Reads scenario files strictly: unknown keys (with "did you mean"),
// duplicate keys, wrong types, unknown actions and undefined variables are
// errors with file:line:col. Nothing is half-loaded: a file with an error
// contributes no scenarios.
namespace onsmqtt::runner {

struct Diagnostic {
  SourceLocation loc;
  std::string message;
  std::string rendered;  // "file:line:col: error: msg\n  12 | source\n     |   ^\n"
};

// The variable names a scenario run with `fixture` may use (see
// Target::VariableNamesFor); kParseError etc. when that fixture does not
// load. Called at most once per distinct fixture path of a load.
using FixtureVariableNames = std::function<StatusOr<std::set<std::string>>(const std::string& fixture_path)>;

struct LoadOptions {
  // Variable names the target defines for scenarios that name no fixture
  // (the run's fixture for the mock; the vars file and the run's fixture's
  // names for an endpoint), besides captures of earlier steps, `env.*` and
  // the built-ins. References to anything else are errors.
  std::set<std::string> known_variables;
  // The names for a scenario whose file (or itself) names a `fixture:`; it
  // is checked against the fixture it will run with. Unset: such scenarios
  // are checked against known_variables too.
  FixtureVariableNames fixture_variables;
  bool check_variables = true;
  // Endpoint runs: `requires: mock` scenarios are skipped before anything
  // is resolved, so their names are not checked (a mock run checks them).
  bool skip_requires_mock_variables = false;
  // Fixture for scenarios that name none (mock targets).
  std::string default_fixture = "fixtures/default.yaml";
};

struct LoadResult {
  std::vector<ScenarioFile> files;
  std::vector<Diagnostic> errors;  // empty: everything loaded
};

// One file.
StatusOr<ScenarioFile> LoadScenarioFile(const std::string& path, const LoadOptions& options);

// Files and folders (recursively, *.yaml and *.yml, sorted by path). Every
// file is read; all errors are collected.
LoadResult LoadScenarios(const std::vector<std::string>& paths, const LoadOptions& options);

}  // namespace onsmqtt::runner
