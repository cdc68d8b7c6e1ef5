#include "runner/report/report_console.h"

#include <cstdio>

#include "runner/result/coverage.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

constexpr char kRed[] = "31";
constexpr char kGreen[] = "32";
constexpr char kYellow[] = "33";
constexpr char kMagenta[] = "35";
constexpr char kDim[] = "2";

const char* Label(Verdict v) {
  switch (v) {
    case Verdict::kPassed:
      return "PASS ";
    case Verdict::kFailed:
      return "FAIL ";
    case Verdict::kError:
      return "ERROR";
    case Verdict::kSkipped:
      return "SKIP ";
  }
  return "?    ";
}

const char* ColorOf(Verdict v) {
  switch (v) {
    case Verdict::kPassed:
      return kGreen;
    case Verdict::kFailed:
      return kRed;
    case Verdict::kError:
      return kMagenta;
    case Verdict::kSkipped:
      return kYellow;
  }
  return kDim;
}

}  // namespace

bool UseColor(bool is_tty, const char* no_color_env, bool no_color_flag) {
  if (no_color_flag || !is_tty) return false;
  return no_color_env == nullptr || *no_color_env == '\0';
}

std::string ConsoleReporter::Paint(const std::string& text, const char* code) const {
  if (!options_.color) return text;
  return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
}

void ConsoleReporter::ScenarioFinished(const ScenarioResult& r) {
  bool bad = r.verdict == Verdict::kFailed || r.verdict == Verdict::kError;
  if (options_.quiet && !bad) return;
  out_ << "  " << Paint(Label(r.verdict), ColorOf(r.verdict)) << "  " << r.classname << "  " << r.name << "  "
       << Paint("(" + FormatSeconds(r.seconds) + " s)", kDim);
  if (!r.earlier_attempts.empty()) {
    out_ << "  " << Paint("after " + std::to_string(r.earlier_attempts.size() + 1) + " attempts", kYellow);
  }
  if (r.verdict == Verdict::kSkipped) out_ << "  " << Paint(r.message, kDim);
  out_ << "\n";
  if (bad) Details(r);
}

void ConsoleReporter::Details(const ScenarioResult& r) {
  if (!r.file.empty()) out_ << "        " << r.file << (r.line > 0 ? ":" + std::to_string(r.line) : "") << "\n";
  if (!r.description.empty()) out_ << "        " << Paint(r.description, kDim) << "\n";
  for (const StepResult& step : r.steps) {
    if (step.verdict == Verdict::kPassed || step.verdict == Verdict::kSkipped) continue;
    out_ << "        " << (step.cleanup ? "cleanup step (not judged) " : "step ") << "\"" << step.name << "\"\n";
    if (step.verdict == Verdict::kError) out_ << "          " << Paint("error: ", kMagenta) << step.error << "\n";
    for (const AssertionFailure& f : step.failures) {
      std::string where = f.loc.ToString();
      out_ << "          " << Paint(f.path.empty() ? std::string(KindName(f.kind)) : f.path, kRed) << "  ("
           << KindName(f.kind) << ")" << (where.empty() ? "" : "  at " + where) << "\n";
      out_ << "            expected: " << Paint(f.expected, kGreen) << "\n";
      out_ << "            actual:   " << Paint(f.actual, kRed) << "\n";
    }
    if (!step.burst_summary.empty()) out_ << "          burst: " << step.burst_summary << "\n";
    if (step.connect) out_ << "          connect: " << step.connect->Summary() << "\n";
    if (!step.exchanges.empty()) {
      const Exchange& e = step.exchanges.back();
      out_ << "          status " << (e.status == 0 ? std::string("(no answer)") : std::to_string(e.status));
      if (!e.request_id.empty()) out_ << ", RequestId " << e.request_id;
      if (!e.code.empty()) out_ << ", Code " << e.code;
      if (!e.message.empty()) out_ << ": " << e.message;
      if (e.curl.empty()) {
        // --client: the adapter's request line (secret and token masked).
        out_ << "\n          " << Paint("request:", kDim) << " " << e.request_line << "\n";
      } else {
        out_ << "\n          "
             << Paint("request (not replayable: signature redacted, nonce and timestamp already used):", kDim) << "\n"
             << "            " << e.curl << "\n";
      }
    }
  }
  std::string trace = RetryTrace(r);
  for (size_t start = 0; start < trace.size();) {
    size_t end = trace.find('\n', start);
    out_ << "        " << trace.substr(start, end - start) << "\n";
    start = end + 1;
  }
  if (std::string rerun = RerunCommand(options_.rerun_prefix, r); !rerun.empty()) {
    out_ << "        " << Paint("re-run:", kDim) << " " << rerun << "\n";
  }
}

// "coverage: 79 of 79 documented (operation, code) pairs demonstrated
// (100.0%), 0 waived, 0 missing", then each gap and each undocumented code.
void ConsoleReporter::CoverageSummary(const Coverage& c) {
  size_t missing = c.Count(CoverageState::kMissing), undocumented = c.Count(CoverageState::kUndocumented);
  char percent[32];
  std::snprintf(percent, sizeof(percent), "%.1f%%", DemonstratedPercent(c));
  bool bad = undocumented > 0 || (c.gate && missing > 0);
  out_ << Paint("coverage: ", bad ? kRed : kDim) << c.Count(CoverageState::kDemonstrated) << " of " << c.Documented()
       << " documented (operation, code) pairs demonstrated (" << percent << "), " << c.Count(CoverageState::kWaived)
       << " waived, " << missing << " missing"
       << (undocumented ? ", " + Plural(undocumented, "undocumented code") + " received" : "")
       << (c.gate ? "" : " (not gated: a partial run)") << "\n";
  if (options_.quiet && !bad) return;
  for (const CoveragePair& p : c.pairs) {
    if (p.state == CoverageState::kMissing && c.gate) {
      out_ << "  " << Paint("MISSING", kRed) << "  " << p.operation << " " << p.code
           << ": no passing scenario was answered it (add one, or a waiver)\n";
    } else if (p.state == CoverageState::kUndocumented) {
      out_ << "  " << Paint("UNDOCUMENTED", kRed) << "  " << p.operation << " answered " << p.code
           << ", which the contract does not list for it\n";
    }
  }
}

void ConsoleReporter::Summary(const RunResult& run, const std::string& reports_note) {
  int passed = 0, failed = 0, errors = 0, skipped = 0;
  for (const FileResult& f : run.files) {
    for (const ScenarioResult& s : f.scenarios) {
      switch (s.verdict) {
        case Verdict::kPassed:
          ++passed;
          break;
        case Verdict::kFailed:
          ++failed;
          break;
        case Verdict::kError:
          ++errors;
          break;
        case Verdict::kSkipped:
          ++skipped;
          break;
      }
    }
  }
  out_ << "\n"
       << Plural(passed + failed + errors + skipped, "scenario") << ": "
       << Paint(std::to_string(passed) + " passed", kGreen) << ", "
       << Paint(std::to_string(failed) + " failed", failed ? kRed : kDim) << ", "
       << Paint(Plural(errors, "error"), errors ? kMagenta : kDim) << ", "
       << Paint(std::to_string(skipped) + " skipped", skipped ? kYellow : kDim) << " in " << FormatSeconds(run.seconds)
       << " s against " << run.info.target_kind << (run.info.target_kind == "endpoint" ? " " + run.info.endpoint : "")
       << " (seed " << run.info.seed << ")\n";
  if (run.interrupted) out_ << Paint("interrupted: scenarios not started are reported as skipped", kYellow) << "\n";
  if (run.coverage.computed) CoverageSummary(run.coverage);
  if (!reports_note.empty()) out_ << reports_note << "\n";
}

}  // namespace onsmqtt::runner
