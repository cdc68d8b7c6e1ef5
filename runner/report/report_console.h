#pragma once

#include <ostream>
#include <string>

#include "runner/result/result.h"

// The human report: a line per scenario as it finishes, then for each
// failure its description, a diff by JSON path (expected, actual, the YAML
// position), the answer's status, RequestId, Code and Message, the request
// as a curl command with secrets redacted (to read: it cannot be replayed),
// the earlier attempts and the command that re-runs the scenario; then a
// summary. Formats
// only; thread-compatible (the executor calls it one scenario at a time).
namespace onsmqtt::runner {

struct ConsoleOptions {
  bool color = false;  // ANSI colours (decide with UseColor())
  bool quiet = false;  // only failures, errors and the summary
  // RunInfo::rerun_prefix: under a failure, the command that re-runs that
  // scenario alone. Empty: no such line.
  std::string rerun_prefix;
};

// Colour when `is_tty`, NO_COLOR is unset or empty, and not --no-color.
// https://no-color.org
bool UseColor(bool is_tty, const char* no_color_env, bool no_color_flag);

class ConsoleReporter {
 public:
  ConsoleReporter(std::ostream& out, ConsoleOptions options) : out_(out), options_(options) {}

  // "  PASS  onsmqtt.x.y  name  (0.012 s)" and, for failures and errors,
  // the details below it.
  void ScenarioFinished(const ScenarioResult& result);
  // Counts, wall time, and where the reports are.
  void Summary(const RunResult& run, const std::string& reports_note);

 private:
  std::string Paint(const std::string& text, const char* code) const;
  void Details(const ScenarioResult& result);
  void CoverageSummary(const Coverage& coverage);

  std::ostream& out_;
  ConsoleOptions options_;
};

}  // namespace onsmqtt::runner
