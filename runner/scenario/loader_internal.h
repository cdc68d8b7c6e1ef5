#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contract/contract.h"
#include "contract/yaml_tree.h"
#include "runner/scenario/keys.h"
#include "runner/scenario/loader.h"
#include "runner/scenario/scenario.h"

// Shared by loader.cc, loader_steps.cc and loader_values.cc; not a public
// interface. The readers never stop at the first problem: each records a
// Diagnostic and returns what it could read, so one pass reports every
// error of a file.
namespace onsmqtt::runner::internal {

// Strict reading of one map whose keys are a table of keys.h: every key of
// the table is looked up (the required ones must be there), any other key
// is an error at Finish(). Get() asks for one key of the table.
class KeyReader {
 public:
  KeyReader(const yaml::Node& node, std::string what, std::span<const keys::Key> table);

  // The value of `key`, nullptr when absent. `key` must be in the table
  // (else the program stops: a loader bug, caught by the loader's tests).
  const yaml::Node* Get(std::string_view key) const;
  Status Finish() { return reader_.Finish(); }

 private:
  yaml::MapReader reader_;
  std::span<const keys::Key> table_;
  std::vector<const yaml::Node*> found_;
};

// The names of a table, in order.
std::vector<std::string> KeyNames(std::span<const keys::Key> table);

// Fixture path -> its variable names (or why it did not load), shared by
// the files of one load.
using FixtureNamesCache = std::map<std::string, StatusOr<std::set<std::string>>>;

class LoadContext {
 public:
  LoadContext(const LoadOptions& options, const Contract& contract, const std::string& source,
              std::vector<Diagnostic>* errors, FixtureNamesCache* fixtures)
      : options_(options),
        contract_(contract),
        source_(source),
        errors_(errors),
        fixtures_(fixtures),
        known_(&options.known_variables) {}

  const LoadOptions& options() const { return options_; }
  // The names the current scenario may use: its fixture's (UseFixture), else
  // options().known_variables. nullptr: the fixture did not load, so names
  // are not checked (that error is reported).
  const std::set<std::string>* known() const { return known_; }
  bool check_variables() const { return options_.check_variables && known_ != nullptr; }
  // Scenarios read from now on run with `fixture` ("" = the run's). A
  // fixture that does not load is an error at `loc` (once per file).
  void UseFixture(const std::string& fixture, const SourceLocation& loc);
  // The rest of the current scenario is not checked for names.
  void StopCheckingVariables() { known_ = nullptr; }
  const Contract& contract() const { return contract_; }

  void Error(const SourceLocation& loc, const std::string& message);
  // A located Status (yaml_tree, MapReader); ok is ignored.
  void Error(const Status& status);
  // Finishes a MapReader, recording its error if any.
  void Finish(yaml::MapReader* reader) { Error(reader->Finish()); }
  void Finish(KeyReader* reader) { Error(reader->Finish()); }
  size_t error_count() const { return errors_->size(); }

  // Checks ${...} syntax and that every name is defined (a known variable,
  // a capture made so far, a built-in, env.*).
  void CheckTemplate(const std::string& text, const SourceLocation& loc);
  // Names captured by the steps read so far (the current scenario).
  std::set<std::string>& captures() { return captures_; }

 private:
  SourceLocation PointAt(const SourceLocation& loc, const std::string& needle) const;

  const LoadOptions& options_;
  const Contract& contract_;
  const std::string& source_;
  std::vector<Diagnostic>* errors_;
  FixtureNamesCache* fixtures_;
  const std::set<std::string>* known_;
  std::set<std::string> reported_fixtures_;
  std::set<std::string> captures_;
};

// loader_values.cc
std::optional<Template> ReadTemplate(const yaml::Node& node, const std::string& what, LoadContext* ctx);
Value ReadValue(const yaml::Node& node, LoadContext* ctx);
std::optional<Matcher> ReadMatcher(const yaml::Node& node, const std::string& what, LoadContext* ctx);
std::optional<std::string> ReadString(const yaml::Node& node, const std::string& what, LoadContext* ctx);
std::optional<int64_t> ReadInt(const yaml::Node& node, const std::string& what, int64_t min, int64_t max,
                               LoadContext* ctx);
std::optional<bool> ReadBool(const yaml::Node& node, const std::string& what, LoadContext* ctx);
// One of `choices` (exact); otherwise an error with "did you mean". Returns
// the index into `choices`.
std::optional<size_t> ReadChoice(const yaml::Node& node, const std::string& what,
                                 const std::vector<std::string>& choices, LoadContext* ctx);

// A name a capture may define: a letter, then letters, digits, _ . -.
bool IsCaptureName(const std::string& s);

// loader_steps.cc: a call, burst or connect step.
std::optional<Step> ReadStep(const yaml::Node& node, size_t index, LoadContext* ctx);

// loader_connect.cc
std::optional<Step> ReadConnectStep(const yaml::Node& node, size_t index, LoadContext* ctx);
// A step map with neither call: nor connect:: its unknown keys (with "did
// you mean" over both kinds of step) and what a step needs.
void ReportStepWithoutKind(const yaml::Node& node, LoadContext* ctx);

}  // namespace onsmqtt::runner::internal
