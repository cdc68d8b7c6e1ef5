#include "runner/report/report_junit.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "contract/clock.h"
#include "contract/contract.h"
#include "contract/xml_escape.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

void AppendVisible(unsigned char c, std::string* out) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\x%02x", c);
  *out += buf;
}

// Length of the valid UTF-8 sequence at `s[i]` encoding an XML 1.0 Char,
// or 0.
size_t ValidXmlChar(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7f ? 1 : 0;
  size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr uint32_t kMinForLen[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLen[len]) return 0;          // overlong
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // surrogates
  if (cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF) return 0;
  if (cp >= 0x80 && cp <= 0x9F) return 0;  // C1 controls: shown visibly too
  return len;
}

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + XmlEscape(value, true) + "\"";
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

void Add(const FileResult& file, Counts* c) {
  for (const ScenarioResult& s : file.scenarios) {
    ++c->tests;
    if (s.verdict == Verdict::kFailed) ++c->failures;
    if (s.verdict == Verdict::kError) ++c->errors;
    if (s.verdict == Verdict::kSkipped) ++c->skipped;
  }
}

Counts CountOf(const FileResult& file) {
  Counts c;
  Add(file, &c);
  return c;
}

Counts CoverageCounts(const Coverage& c) {
  Counts n;
  if (!c.computed) return n;
  n.tests = static_cast<int>(c.pairs.size() - (c.omit_missing ? c.Count(CoverageState::kMissing) : 0));
  n.failures =
      static_cast<int>(c.Count(CoverageState::kUndocumented) + (c.gate ? c.Count(CoverageState::kMissing) : 0));
  n.skipped = static_cast<int>(c.Count(CoverageState::kWaived) +
                               (c.gate || c.omit_missing ? 0 : c.Count(CoverageState::kMissing)));
  return n;
}

// Extended flavour: the run as a whole on <testsuites> (a title for chat
// notifications; the wall time, not the sum of the suites' times, for
// reporters that total them). The Ant schema allows no attribute there;
// junit-10.xsd allows name, tests, failures, errors and time.
std::string TestsuitesAttributes(const RunResult& run) {
  Counts c = CoverageCounts(run.coverage);
  for (const FileResult& f : run.files) Add(f, &c);
  const RunInfo& info = run.info;
  std::string target = info.target_kind == "endpoint" ? info.endpoint : "the embedded mock";
  return Attr("name", "OnsMqtt " + info.api_version + " conformance against " + target) +
         Attr("tests", std::to_string(c.tests)) + Attr("failures", std::to_string(c.failures)) +
         Attr("errors", std::to_string(c.errors)) + Attr("skipped", std::to_string(c.skipped)) +
         Attr("time", FormatSeconds(run.seconds)) +
         Attr("timestamp", FormatTimestamp(run.started, TimestampStyle::kNoZone));
}

void RenderReruns(const ScenarioResult& s, std::string* out) {
  bool flaky = s.verdict == Verdict::kPassed;
  for (const Attempt& a : s.earlier_attempts) {
    std::string tag = flaky ? (a.verdict == Verdict::kError ? "flakyError" : "flakyFailure")
                            : (a.verdict == Verdict::kError ? "rerunError" : "rerunFailure");
    *out += "      <" + tag + Attr("message", a.message) + Attr("type", VerdictName(a.verdict)) + ">" +
            XmlEscape(a.detail) + "</" + tag + ">\n";
  }
}

// (classname, name) must be unique (GitLab drops duplicates): a repeated
// pair gets its position appended to the name.
std::string UniqueName(const ScenarioResult& s, std::set<std::string>* seen) {
  std::string name = s.name.empty() ? "(unnamed)" : s.name;
  if (seen->insert(s.classname + '\n' + name).second) return name;
  name += " (" + s.file + ":" + std::to_string(s.line) + ")";
  seen->insert(s.classname + '\n' + name);
  return name;
}

// The body of a <failure>/<error>: the description, every failed
// assertion with the request, the attempts, the command that re-runs it.
std::string ProblemBody(const ScenarioResult& s, const RunInfo& info) {
  std::string body;
  if (!s.description.empty()) body += "description: " + s.description + "\n";
  body += FailureDetail(s.steps);
  body += RetryTrace(s);
  if (std::string rerun = RerunCommand(info.rerun_prefix, s); !rerun.empty()) body += "re-run: " + rerun + "\n";
  return body;
}

// Extended flavour: what the testcase's own <system-out> says (Jenkins
// shows it on the test's page, GitLab beside a failure).
std::string CaseOut(const ScenarioResult& s) {
  std::string out;
  if (!s.description.empty()) out += "description: " + s.description + "\n";
  return out + RetryTrace(s);
}

void RenderTestcase(const ScenarioResult& s, const std::string& name, JUnitFlavour flavour, const RunInfo& info,
                    std::string* out) {
  *out += "    <testcase" + Attr("classname", ReportedClassname(s, info)) + Attr("name", name) +
          Attr("time", FormatSeconds(s.seconds));
  const bool extended = flavour == JUnitFlavour::kExtended;
  if (extended && !s.file.empty()) {
    *out += Attr("file", s.file);
    if (s.line > 0) *out += Attr("line", std::to_string(s.line));
  }
  const bool reruns = extended && !s.earlier_attempts.empty();
  const std::string case_out = extended ? CaseOut(s) : "";
  if (s.verdict == Verdict::kPassed && !reruns && case_out.empty()) {
    *out += "/>\n";
    return;
  }
  *out += ">\n";
  switch (s.verdict) {
    case Verdict::kPassed:
      break;
    case Verdict::kSkipped:
      *out += "      <skipped" + Attr("message", s.message) + "/>\n";
      break;
    case Verdict::kFailed:
    case Verdict::kError: {
      const char* tag = s.verdict == Verdict::kFailed ? "failure" : "error";
      std::string type = FirstFailureKind(s.steps);
      *out += std::string("      <") + tag + Attr("message", s.message) +
              Attr("type", type.empty() ? VerdictName(s.verdict) : type) + ">" + XmlEscape(ProblemBody(s, info)) +
              "</" + tag + ">\n";
      break;
    }
  }
  if (reruns) RenderReruns(s, out);
  if (!case_out.empty()) *out += "      <system-out>" + XmlEscape(case_out) + "</system-out>\n";
  *out += "    </testcase>\n";
}

// Short by design: one line per scenario, its description, how retries
// went (the only place for that in the strict flavour: the Ant schema
// allows nothing inside a passed testcase), burst figures, what each
// connect step did; transcripts belong in the console and JSON reports.
std::string SystemOut(const FileResult& file) {
  std::string out;
  for (const ScenarioResult& s : file.scenarios) {
    out += s.classname + "." + s.name + ": " + VerdictName(s.verdict) + " (" + FormatSeconds(s.seconds) + " s)\n";
    if (!s.description.empty()) out += "  description: " + s.description + "\n";
    std::string trace = RetryTrace(s);
    for (size_t start = 0; start < trace.size();) {
      size_t end = trace.find('\n', start);
      out += "  " + trace.substr(start, end - start + 1);
      start = end + 1;
    }
    for (const StepResult& step : s.steps) {
      if (!step.burst_summary.empty()) out += "  " + step.name + ": " + step.burst_summary + "\n";
      if (step.connect) out += "  " + step.name + ": " + step.connect->Summary() + "\n";
    }
  }
  return out;
}

// Cleanup steps that did not pass: reported, never judged.
std::string SystemErr(const FileResult& file) {
  std::string out;
  for (const ScenarioResult& s : file.scenarios) {
    for (const StepResult& step : s.steps) {
      if (!step.cleanup || step.verdict == Verdict::kPassed) continue;
      out += s.classname + "." + s.name + ": " + step.name + " " + VerdictName(step.verdict) + "\n";
      if (!step.error.empty()) out += "  " + step.error + "\n";
      for (const AssertionFailure& f : step.failures) out += "  " + f.ToString() + "\n";
    }
  }
  return out;
}

void RenderSuite(const FileResult& file, size_t id, const RunInfo& info, JUnitFlavour flavour,
                 std::set<std::string>* seen, std::string* out) {
  Counts c = CountOf(file);
  *out += "  <testsuite" + Attr("name", file.suite.empty() ? file.path : file.suite) + Attr("package", file.path) +
          Attr("id", std::to_string(id)) + Attr("tests", std::to_string(c.tests)) +
          Attr("failures", std::to_string(c.failures)) + Attr("errors", std::to_string(c.errors)) +
          Attr("skipped", std::to_string(c.skipped)) + Attr("time", FormatSeconds(file.seconds)) +
          Attr("timestamp", FormatTimestamp(file.started, TimestampStyle::kNoZone)) +
          Attr("hostname", info.hostname.empty() ? "localhost" : info.hostname) + ">\n";
  *out += "    <properties>\n";
  const std::pair<const char*, std::string> props[] = {
      {"target", info.target_kind},
      {"endpoint", info.endpoint},
      {"region", info.region},
      {"api.version", info.api_version},
      {"runner.version", info.runner_version},
      {"seed", std::to_string(info.seed)},
      {"client", info.client},
  };
  for (const auto& [name, value] : props) {
    if (std::string(name) == "client" && value.empty()) continue;
    *out += "      <property" + Attr("name", name) + Attr("value", value) + "/>\n";
  }
  *out += "    </properties>\n";
  for (const ScenarioResult& s : file.scenarios) RenderTestcase(s, UniqueName(s, seen), flavour, info, out);
  *out += "    <system-out>" + XmlEscape(SystemOut(file)) + "</system-out>\n";
  *out += "    <system-err>" + XmlEscape(SystemErr(file)) + "</system-err>\n";
  *out += "  </testsuite>\n";
}

// The contract.coverage suite: one testcase per documented (operation,
// code) pair, then per undocumented pair received. A gap is a <failure>
// when the run gates on coverage and a <skipped> otherwise (a partial run
// cannot demonstrate everything), or left out (omit_missing); a waiver is a <skipped> with its reason;
// an undocumented code is always a <failure>: the service drifted from the
// contract, or the contract file lacks an entry.
void RenderCoverageCase(const CoveragePair& p, const Coverage& c, std::string* out) {
  *out += "    <testcase" + Attr("classname", kCoverageClassname) + Attr("name", p.operation + " " + p.code) +
          Attr("time", "0");
  std::string statuses;
  for (int st : p.statuses) statuses += (statuses.empty() ? "HTTP " : ", ") + std::to_string(st);
  switch (p.state) {
    case CoverageState::kDemonstrated:
      *out += "/>\n";
      return;
    case CoverageState::kWaived:
      *out += ">\n      <skipped" + Attr("message", "waived: " + p.waiver) + "/>\n";
      break;
    case CoverageState::kMissing:
      if (c.gate) {
        *out += ">\n      <failure" +
                Attr("message", "not demonstrated: no passing scenario received " + p.code + " from " + p.operation) +
                Attr("type", "coverage") + ">" +
                XmlEscape("Add a scenario whose call to " + p.operation + " is answered " + p.code +
                          ", or waive the pair with a reason in " + std::string(kDefaultWaiversFile) + ".") +
                "</failure>\n";
      } else {
        *out +=
            ">\n      <skipped" + Attr("message", "not demonstrated by this run (the coverage gate is off)") + "/>\n";
      }
      break;
    case CoverageState::kUndocumented:
      *out += ">\n      <failure" +
              Attr("message", p.operation + " answered " + p.code + " (" + statuses +
                                  "), which the contract does not document for it") +
              Attr("type", "coverage.undocumented") + "></failure>\n";
      break;
  }
  *out += "    </testcase>\n";
}

std::string CoverageOut(const RunResult& run) {
  const Coverage& c = run.coverage;
  std::string out = std::to_string(c.Count(CoverageState::kDemonstrated)) + " of " + std::to_string(c.Documented()) +
                    " documented (operation, code) pairs demonstrated, " +
                    std::to_string(c.Count(CoverageState::kWaived)) + " waived, " +
                    std::to_string(c.Count(CoverageState::kMissing)) + " missing, " +
                    std::to_string(c.Count(CoverageState::kUndocumented)) + " undocumented received" +
                    (c.gate ? "" : " (coverage gate off: a partial run)") + "\n";
  if (c.omit_missing && c.Count(CoverageState::kMissing) > 0) {
    out += "The pairs this partial run did not demonstrate are left out; --coverage report lists them.\n";
  }
  for (const CoveragePair& p : c.pairs) {
    if (p.exchanges.empty()) continue;
    const ExchangeRef& r = p.exchanges.front();
    const ScenarioResult& s = run.files[r.file].scenarios[r.scenario];
    out += p.operation + " " + p.code + ": " + s.classname + "." + s.name + " (" + s.file + ":" +
           std::to_string(s.line) + ")\n";
  }
  return out;
}

void RenderCoverageSuite(const RunResult& run, size_t id, std::string* out) {
  const Coverage& c = run.coverage;
  Counts n = CoverageCounts(c);
  *out += "  <testsuite" + Attr("name", kCoverageSuite) + Attr("package", BuiltinContractPath()) +
          Attr("id", std::to_string(id)) + Attr("tests", std::to_string(n.tests)) +
          Attr("failures", std::to_string(n.failures)) + Attr("errors", "0") +
          Attr("skipped", std::to_string(n.skipped)) + Attr("time", "0") +
          Attr("timestamp", FormatTimestamp(run.started, TimestampStyle::kNoZone)) +
          Attr("hostname", run.info.hostname.empty() ? "localhost" : run.info.hostname) + ">\n";
  *out += "    <properties>\n      <property" + Attr("name", "api.version") + Attr("value", run.info.api_version) +
          "/>\n    </properties>\n";
  for (const CoveragePair& p : c.pairs) {
    if (!c.omit_missing || p.state != CoverageState::kMissing) RenderCoverageCase(p, c, out);
  }
  *out += "    <system-out>" + XmlEscape(CoverageOut(run)) + "</system-out>\n";
  *out += "    <system-err></system-err>\n";
  *out += "  </testsuite>\n";
}

}  // namespace

std::optional<JUnitFlavour> ParseJUnitFlavour(std::string_view name) {
  if (name == "strict") return JUnitFlavour::kStrict;
  if (name == "extended") return JUnitFlavour::kExtended;
  return std::nullopt;
}

std::string XmlEscape(std::string_view text, bool attribute) {
  std::string clean = StripAnsi(text);
  std::string out;
  out.reserve(clean.size());
  for (size_t i = 0; i < clean.size();) {
    size_t len = ValidXmlChar(clean, i);
    if (len == 0) {
      AppendVisible(static_cast<unsigned char>(clean[i]), &out);
      ++i;
      continue;
    }
    char c = clean[i];
    if (AppendXmlEntity(c, &out)) {
      i += len;
      continue;
    }
    switch (c) {
      case '\t':
      case '\n':
      case '\r':
        out += attribute ? ' ' : c;
        break;
      default:
        out.append(clean, i, len);
    }
    i += len;
  }
  return out;
}

std::string RenderJUnit(const RunResult& run, JUnitFlavour flavour) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  if (flavour == JUnitFlavour::kExtended) out += TestsuitesAttributes(run);
  out += ">\n";
  std::set<std::string> seen;
  for (size_t i = 0; i < run.files.size(); ++i) RenderSuite(run.files[i], i, run.info, flavour, &seen, &out);
  if (run.coverage.computed) RenderCoverageSuite(run, run.files.size(), &out);
  out += "</testsuites>\n";
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) return Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::IoError("cannot write " + tmp);
    f << content;
    f.flush();
    if (!f) return Status::IoError("cannot write " + tmp);
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IoError("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

}  // namespace onsmqtt::runner
