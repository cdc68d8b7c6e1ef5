#include "runner/app.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>

#include "contract/contract.h"
#include "runner/data_paths.h"
#include "runner/execute/executor.h"
#include "runner/execute/target.h"
#include "runner/report/report_console.h"
#include "runner/report/report_junit.h"
#include "runner/reports.h"
#include "runner/result/coverage.h"
#include "runner/result/report_text.h"
#include "runner/run_errors.h"
#include "runner/scenario/loader.h"

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
  r.interrupt_signal = env.interrupt_signal;
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
  const Coverage& c = run.coverage;
  bool failed =
      c.computed && (c.Count(CoverageState::kUndocumented) > 0 || (c.gate && c.Count(CoverageState::kMissing) > 0));
  for (const FileResult& f : run.files) {
    for (const ScenarioResult& s : f.scenarios) {
      if (s.verdict == Verdict::kError) return kExitHarness;
      failed = failed || s.verdict == Verdict::kFailed;
    }
  }
  if (run.interrupted) return kExitHarness;
  return failed ? kExitFailed : kExitPassed;
}

ReportPaths PathsOf(const CliOptions& o) {
  return {o.JUnitPath(), o.json_file, o.HtmlPath(), o.DocsPath(), o.check || o.list};
}

// Gate on coverage: asked for, or (auto) a run of the default selection
// against the embedded mock, where every documented pair can be shown.
bool GatesOnCoverage(const CliOptions& o, const Target& target) {
  if (o.coverage != CoverageMode::kAuto) return o.coverage == CoverageMode::kGate;
  return target.is_mock() && o.default_paths && o.tags.empty() && o.filter.empty() && o.shard_count == 1;
}

TimePoint Now(const AppEnvironment& env) { return (env.clock ? *env.clock : SystemClock::Instance()).Now(); }

RunInfo InfoOf(const Target* target, uint64_t seed) {
  RunInfo info;
  if (target != nullptr) {
    info.target_kind = target->kind();
    info.endpoint = target->endpoint();
    info.region = target->region();
  }
  info.api_version = BuiltinContract().version;
  info.runner_version = RunnerVersion();
  info.hostname = Hostname();
  info.seed = seed;
  return info;
}

// The reports of a run that could not start, replacing any earlier ones.
void WriteErrorReports(const ReportPaths& paths, JUnitFlavour flavour, RunResult run, const RunInfo& info,
                       std::ostream& err) {
  if (paths.none) return;
  run.info = info;
  std::string note;
  WriteReports(paths, ReportSettings{flavour, {}}, run, err, &note);
}

// The program and the run's target options, no secret: what re-runs one
// scenario when the reporters add its file and an exact --filter.
std::string RerunPrefix(const CliOptions& o, const std::string& program) {
  std::string cmd = ShellWord(program.empty() ? "onsmqtt-runner" : program);
  if (!o.target.empty()) cmd += " --target " + ShellWord(o.target);
  if (!o.vars_file.empty()) cmd += " --vars " + ShellWord(o.vars_file);
  if (!o.ca_file.empty()) cmd += " --ca-file " + ShellWord(o.ca_file);
  if (o.insecure) cmd += " --insecure";
  if (!o.mqtt_endpoint.empty()) cmd += " --mqtt-endpoint " + ShellWord(o.mqtt_endpoint);
  if (o.fixture != CliOptions{}.fixture) cmd += " --fixture " + ShellWord(o.fixture);
  if (o.allow_mutations) cmd += " --allow-mutations";
  if (o.scheme != CliOptions{}.scheme) cmd += o.scheme == SignatureScheme::kV1 ? " --scheme v1" : " --scheme v3";
  if (!o.client.empty()) cmd += " --client " + ShellWord(o.client);
  if (o.client_timeout_given) cmd += " --client-timeout " + std::to_string(o.client_timeout_ms);
  return cmd;
}

// Nothing selected: exit 4 (unless --allow-empty), saying why.
std::optional<int> CheckSelection(const CliOptions& o, const LoadResult& loaded, const RunOptions& run,
                                  const Target& target, const AppEnvironment& env) {
  if (o.allow_empty) return std::nullopt;
  // --check validates files, whatever the selection; but no file at all is
  // a typo in the paths.
  if (!loaded.files.empty() && (o.check || CountSelected(loaded.files, run) > 0)) return std::nullopt;
  std::string reason = EmptySelectionReason(loaded.files, {o.paths, o.tags, o.filter, o.shard_index, o.shard_count});
  *env.err << "onsmqtt-runner: error: nothing to run: " << reason
           << "; nothing ran (pass --allow-empty to accept an empty selection)\n";
  WriteErrorReports(PathsOf(o), o.junit_flavour,
                    RunnerErrorRun("selection", ErrorKind::kSelection, "nothing selected: " + reason, Now(env)),
                    InfoOf(&target, run.seed), *env.err);
  return kExitNothingSelected;
}

// Runs the selected scenarios, prints them as they finish, writes the
// reports and maps the result to an exit code.
int Execute(const CliOptions& o, const LoadResult& loaded, const Target& target, const RunOptions& base,
            const std::vector<Waiver>& waivers, const AppEnvironment& env) {
  const char* no_color = env.getenv ? env.getenv("NO_COLOR") : nullptr;
  RunInfo info = InfoOf(&target, base.seed);
  info.rerun_prefix = RerunPrefix(o, env.program);
  if (base.client != nullptr) info.client = base.client->hello().name;
  ConsoleReporter console(*env.out, {UseColor(env.stdout_is_tty, no_color, o.no_color), o.quiet, info.rerun_prefix});
  RunOptions run_options = base;
  run_options.on_scenario = [&](const ScenarioResult& r) {
    console.ScenarioFinished(r);
    env.out->flush();
  };
  RunResult run = RunAll(loaded.files, target, run_options);
  run.info = info;
  if (run.interrupted) console.ScenarioFinished(run.files.back().scenarios.back());
  bool ran = std::any_of(run.files.begin(), run.files.end(), [](const FileResult& f) { return !f.scenarios.empty(); });
  if (o.coverage != CoverageMode::kOff && ran) {
    // An interrupted run did not try everything: its gaps are not news.
    bool gate = GatesOnCoverage(o, target) && !run.interrupted;
    run.coverage = ComputeCoverage(run, BuiltinContract(), waivers, gate);
    run.coverage.omit_missing = !gate && (o.coverage == CoverageMode::kAuto || run.interrupted);
  }
  std::string note;
  ReportSettings settings{o.junit_flavour,
                          target.is_mock() ? decltype(ReportSettings::masks){} : MasksOf(target.variables())};
  bool written = WriteReports(PathsOf(o), settings, run, *env.err, &note);
  console.Summary(run, note);
  int code = ExitCodeOf(run);
  return written ? code : kExitHarness;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "none" : out;
}

// --client: the adapter pool, its first adapter started to read the hello,
// which the console's first line names. An adapter that cannot start or
// greet is a harness error (exit 3).
StatusOr<std::unique_ptr<ClientPool>> StartClient(const CliOptions& o, const Target& target, uint64_t seed,
                                                  const AppEnvironment& env) {
  auto pool = ClientPool::Create({o.client, o.client_timeout_ms});
  if (!pool.ok()) {
    *env.err << "onsmqtt-runner: error: --client " << o.client << ": " << pool.status().message() << "\n";
    WriteErrorReports(PathsOf(o), o.junit_flavour,
                      RunnerErrorRun("client", ErrorKind::kClient, pool.status().message(), Now(env)),
                      InfoOf(&target, seed), *env.err);
    return pool.status();
  }
  const ClientHello& h = (*pool)->hello();
  *env.out << "client: " << h.name << " (schemes " << Joined(h.schemes) << "; methods " << Joined(h.methods)
           << "; formats " << Joined(h.formats) << "), started with: " << o.client << "\n";
  return pool;
}

TargetOptions TargetOptionsOf(const CliOptions& o, const AppEnvironment& env) {
  TargetOptions to;
  to.url = o.target;
  to.vars_file = o.vars_file;
  to.ca_file = o.ca_file;
  to.insecure = o.insecure;
  to.mqtt_endpoint = o.mqtt_endpoint;
  to.default_fixture = o.fixture;
  to.getenv = env.getenv;
  return to;
}

}  // namespace

const char* RunnerVersion() { return ONSMQTT_RUNNER_VERSION; }

int RunCommandLine(const std::vector<std::string>& args, const AppEnvironment& env) {
  auto options = ParseCommandLine(args);
  if (!options.ok()) {
    *env.err << "onsmqtt-runner: error: " << options.status().message() << "\n";
    WriteErrorReports(
        ReportPathsOf(args), JUnitFlavour::kStrict,
        RunnerErrorRun("command line", ErrorKind::kUsage, "usage error: " + options.status().message(), Now(env)),
        InfoOf(nullptr, 0), *env.err);
    return kExitUsage;
  }
  if (options->help) {
    *env.out << UsageText();
    return kExitPassed;
  }
  if (options->version) {
    *env.out << "onsmqtt-runner " << RunnerVersion() << "\n";
    return kExitPassed;
  }
  // scenarios/ and fixtures/default.yaml: here, else the installed copies.
  if (Status s = ResolveDataDefaults(&*options, env.data_dir); !s.ok()) {
    *env.err << "onsmqtt-runner: error: " << s.message() << "\n";
    WriteErrorReports(PathsOf(*options), options->junit_flavour,
                      RunnerErrorRun("command line", ErrorKind::kUsage, "usage error: " + s.message(), Now(env)),
                      InfoOf(nullptr, 0), *env.err);
    return kExitUsage;
  }
  return RunApp(*options, env);
}

int RunApp(const CliOptions& o, const AppEnvironment& env) {
  std::ostream& out = *env.out;
  std::ostream& err = *env.err;
  auto target = Target::Create(TargetOptionsOf(o, env));
  if (!target.ok()) {
    err << Describe(target.status()) << "\n";
    WriteErrorReports(
        PathsOf(o), o.junit_flavour,
        RunnerErrorRun("command line", ErrorKind::kUsage, "usage error: " + target.status().ToString(), Now(env)),
        InfoOf(nullptr, o.seed.value_or(0)), err);
    return kExitUsage;
  }
  LoadOptions lo;
  lo.known_variables = (*target)->VariableNames();
  lo.fixture_variables = [&target](const std::string& fixture) { return (*target)->VariableNamesFor(fixture); };
  lo.skip_requires_mock_variables = !(*target)->is_mock();
  lo.default_fixture = o.fixture;
  LoadResult loaded = LoadScenarios(o.paths, lo);
  if (!loaded.errors.empty()) {
    for (const Diagnostic& d : loaded.errors) err << d.rendered;
    err << Plural(loaded.errors.size(), "error") << " in the scenarios; nothing was run\n";
    // A report that says so, rather than a stale one from an earlier run.
    WriteErrorReports(PathsOf(o), o.junit_flavour, LoadErrorRun(loaded.errors, Now(env)),
                      InfoOf(target->get(), o.seed.value_or(0)), err);
    return kExitUsage;
  }
  StatusOr<std::vector<Waiver>> waivers = std::vector<Waiver>{};
  if (!o.waivers_file.empty()) waivers = LoadWaivers(o.waivers_file, BuiltinContract());
  if (!waivers.ok()) {
    err << Describe(waivers.status()) << "\n";
    WriteErrorReports(
        PathsOf(o), o.junit_flavour,
        RunnerErrorRun("waivers", ErrorKind::kUsage, "usage error: " + waivers.status().ToString(), Now(env)),
        InfoOf(target->get(), o.seed.value_or(0)), err);
    return kExitUsage;
  }
  uint64_t seed = o.seed.value_or(std::random_device{}() & 0x7fffffff);
  RunOptions run_options = MakeRunOptions(o, seed, env);
  if (auto code = CheckSelection(o, loaded, run_options, **target, env)) return *code;
  if (o.check) {
    size_t n = 0;
    for (const ScenarioFile& f : loaded.files) n += f.scenarios.size();
    out << Plural(loaded.files.size(), "file") << ", " << Plural(n, "scenario") << ": OK\n";
    return kExitPassed;
  }
  if (o.list) return ListScenarios(loaded, run_options, out);
  std::unique_ptr<ClientPool> client;
  if (!o.client.empty()) {
    auto pool = StartClient(o, **target, seed, env);
    if (!pool.ok()) return kExitHarness;
    client = std::move(*pool);
    run_options.client = client.get();
  }
  return Execute(o, loaded, **target, run_options, *waivers, env);
}

}  // namespace onsmqtt::runner
