#include "runner/app.h"

#include <unistd.h>

#include <random>
#include <thread>

#include "contract/contract.h"
#include "runner/executor.h"
#include "runner/loader.h"
#include "runner/report_console.h"
#include "runner/report_json.h"
#include "runner/report_junit.h"
#include "runner/report_text.h"
#include "runner/target.h"

#ifndef ONSMQTT_RUNNER_VERSION
#define ONSMQTT_RUNNER_VERSION "0.0.0"
#endif

namespace onsmqtt::runner {
namespace {

std::string Hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

RunOptions MakeRunOptions(const CliOptions& o, uint64_t seed, const AppEnvironment& env) {
  RunOptions r;
  r.jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  r.shard_index = o.shard_index;
  r.shard_count = o.shard_count;
  r.tags = o.tags;
  if (!o.filter.empty()) r.filter = std::regex(o.filter);
  r.retries = o.retries;
  r.default_scheme = o.scheme;
  r.allow_mutations = o.allow_mutations;
  r.seed = seed;
  r.clock = env.clock;
  r.interrupted = env.interrupted;
  return r;
}

int ListScenarios(const LoadResult& loaded, const RunOptions& run, std::ostream& out) {
  for (const ScenarioFile& f : loaded.files) {
    for (const Scenario& s : f.scenarios) {
      if (!IsSelected(f, s, run)) continue;
      out << s.classname << "." << s.name << "  [";
      for (size_t i = 0; i < s.tags.size(); ++i) out << (i ? "," : "") << s.tags[i];
      out << "]  " << s.loc.ToString();
      if (s.requires_mock) out << "  (requires mock)";
      if (s.mutates) out << "  (mutates)";
      out << "\n";
    }
  }
  return kExitPassed;
}

// Located errors render GCC-style; others get the program's name.
std::string Describe(const Status& s) { return s.location() ? s.ToString() : "onsmqtt-runner: error: " + s.message(); }

int ExitCodeOf(const RunResult& run) {
  bool failed = false;
  for (const FileResult& f : run.files) {
    for (const ScenarioResult& s : f.scenarios) {
      if (s.verdict == Verdict::kError) return kExitHarness;
      failed = failed || s.verdict == Verdict::kFailed;
    }
  }
  if (run.interrupted) return kExitHarness;
  return failed ? kExitFailed : kExitPassed;
}

// Writes every report; returns false (after saying why) if one could not be.
bool WriteReports(const CliOptions& o, const RunResult& run, std::ostream& err, std::string* note) {
  bool ok = true;
  Status s = WriteFileAtomically(o.JUnitPath(), RenderJUnit(run, o.junit_flavour));
  if (!s.ok()) {
    err << "onsmqtt-runner: error: " << s.message() << "\n";
    ok = false;
  } else {
    *note = "JUnit report: " + o.JUnitPath();
  }
  if (!o.json_file.empty()) {
    Status j = WriteFileAtomically(o.json_file, RenderJson(run));
    if (!j.ok()) {
      err << "onsmqtt-runner: error: " << j.message() << "\n";
      ok = false;
    } else {
      *note += (note->empty() ? "" : ", ") + std::string("JSON report: ") + o.json_file;
    }
  }
  return ok;
}

// One errored testcase per file that did not load, listing its
// diagnostics, so CI shows why nothing ran.
RunResult LoadErrorRun(const std::vector<Diagnostic>& errors, const AppEnvironment& env) {
  const Clock& clock = env.clock ? *env.clock : SystemClock::Instance();
  RunResult run;
  run.started = clock.Now();
  for (const Diagnostic& d : errors) {
    const std::string file = d.loc.file.empty() ? "(unknown file)" : d.loc.file;
    if (run.files.empty() || run.files.back().path != file) {
      FileResult f;
      f.path = file;
      f.suite = file;
      f.started = run.started;
      ScenarioResult r;
      r.name = "load " + file;
      r.classname = "onsmqtt.scenario_files";
      r.file = file;
      r.verdict = Verdict::kError;
      r.steps.push_back({});
      r.steps.back().name = "load";
      r.steps.back().verdict = Verdict::kError;
      r.steps.back().error = "scenario error: ";
      f.scenarios.push_back(std::move(r));
      run.files.push_back(std::move(f));
    }
    StepResult& step = run.files.back().scenarios.back().steps.back();
    step.error += (step.error.back() == ' ' ? "" : "\n") + d.loc.ToString() + ": " + d.message;
  }
  for (FileResult& f : run.files) {
    ScenarioResult& r = f.scenarios.back();
    r.message = OneLineSummary(r.steps);
  }
  return run;
}

}  // namespace

const char* RunnerVersion() { return ONSMQTT_RUNNER_VERSION; }

int RunApp(const CliOptions& o, const AppEnvironment& env) {
  std::ostream& out = *env.out;
  std::ostream& err = *env.err;
  TargetOptions to;
  to.url = o.target;
  to.vars_file = o.vars_file;
  to.ca_file = o.ca_file;
  to.insecure = o.insecure;
  to.default_fixture = o.fixture;
  to.getenv = env.getenv;
  auto target = Target::Create(to);
  if (!target.ok()) {
    err << Describe(target.status()) << "\n";
    return kExitUsage;
  }
  LoadOptions lo;
  lo.known_variables = (*target)->VariableNames();
  lo.default_fixture = o.fixture;
  LoadResult loaded = LoadScenarios(o.paths, lo);
  if (!loaded.errors.empty()) {
    for (const Diagnostic& d : loaded.errors) err << d.rendered;
    err << loaded.errors.size() << (loaded.errors.size() == 1 ? " error" : " errors")
        << " in the scenarios; nothing was run\n";
    if (!o.check && !o.list) {
      // A report that says so, rather than a stale one from an earlier run.
      RunResult run = LoadErrorRun(loaded.errors, env);
      run.info = {(*target)->kind(),         (*target)->endpoint(), (*target)->region(),
                  BuiltinContract().version, RunnerVersion(),       Hostname(),
                  o.seed.value_or(0)};
      std::string note;
      WriteReports(o, run, err, &note);
    }
    return kExitUsage;
  }
  uint64_t seed = o.seed.value_or(std::random_device{}() & 0x7fffffff);
  RunOptions run_options = MakeRunOptions(o, seed, env);
  if (o.check) {
    size_t n = 0;
    for (const ScenarioFile& f : loaded.files) n += f.scenarios.size();
    out << loaded.files.size() << " files, " << n << " scenarios: OK\n";
    return kExitPassed;
  }
  if (o.list) return ListScenarios(loaded, run_options, out);

  const char* no_color = env.getenv ? env.getenv("NO_COLOR") : nullptr;
  ConsoleReporter console(out, {UseColor(env.stdout_is_tty, no_color, o.no_color), o.quiet});
  run_options.on_scenario = [&](const ScenarioResult& r) {
    console.ScenarioFinished(r);
    out.flush();
  };
  RunResult run = RunAll(loaded.files, **target, run_options);
  run.info = {(*target)->kind(),
              (*target)->endpoint(),
              (*target)->region(),
              BuiltinContract().version,
              RunnerVersion(),
              Hostname(),
              seed};
  std::string note;
  bool written = WriteReports(o, run, err, &note);
  console.Summary(run, note);
  int code = ExitCodeOf(run);
  return written ? code : kExitHarness;
}

}  // namespace onsmqtt::runner
