#pragma once

#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "runner/cli.h"
#include "runner/report/report_junit.h"
#include "runner/result/result.h"

// Writes a run's reports where the command line says: JUnit, JSON, the
// HTML run report and the contract's documentation (a folder). Every run
// writes them, a run that could not start too, so that no report of an
// earlier run stays behind.
namespace onsmqtt::runner {

struct ReportSettings {
  JUnitFlavour flavour = JUnitFlavour::kStrict;
  // Values the documentation hides (endpoint runs: account ids, instance
  // ids, AccessKeyIds), value -> variable name.
  std::vector<std::pair<std::string, std::string>> masks;
};

// The masks for an endpoint's variables: the values of account.<k>.uid,
// instance.<k>.id and key.<k>.id, each shown as "<name>".
std::vector<std::pair<std::string, std::string>> MasksOf(const std::map<std::string, std::string>& variables);

// How a report at `report_path` links a scenario file named as results
// name it (relative to the current folder): "../" for reports/index.html.
std::string SourceLinkPrefix(const std::string& report_folder);

// Writes every report; returns false (after saying why on `err`) if one
// could not be written. A file that cannot be written is removed, so that
// no earlier one stays behind. `note` receives "JUnit report: ..., ...".
bool WriteReports(const ReportPaths& paths, const ReportSettings& settings, const RunResult& run, std::ostream& err,
                  std::string* note);

}  // namespace onsmqtt::runner
