#pragma once

#include <set>
#include <string>
#include <vector>

#include "contract/source_location.h"
#include "contract/status.h"
#include "runner/scenario.h"

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

struct LoadOptions {
  // Variable names the target defines (fixture variables for the mock, the
  // vars file for an endpoint), besides captures of earlier steps, `env.*`
  // and the built-ins. References to anything else are errors.
  std::set<std::string> known_variables;
  bool check_variables = true;
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

// Built-in variable names always defined at run time (run.id, uuid, ...).
const std::set<std::string>& BuiltinVariableNames();

}  // namespace onsmqtt::runner
