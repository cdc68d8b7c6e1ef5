#include "runner/execute/executor.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "runner/execute/client_step.h"
#include "runner/execute/step.h"
#include "runner/result/report_text.h"
#include "runner/scenario/loader.h"
#include "runner/scenario/variables.h"

namespace onsmqtt::runner {
namespace {

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool Interrupted(const RunOptions& options) { return options.interrupted != nullptr && options.interrupted->load(); }

void RedactFailure(const Redactor& redactor, AssertionFailure* f) {
  f->expected = redactor.Redact(f->expected);
  f->actual = redactor.Redact(f->actual);
}

// Everything a step produced passes through the redactor once more: the
// assertions render values of the answer and of variables.
void RedactStep(const Redactor& redactor, StepResult* step) {
  step->error = redactor.Redact(step->error);
  step->burst_summary = redactor.Redact(step->burst_summary);
  for (AssertionFailure& f : step->failures) RedactFailure(redactor, &f);
}

// A connection for one attempt. Endpoint: the calling worker's, kept alive
// across its scenarios (one TLS handshake per worker, not per scenario).
// Embedded mock: each session has its own server, so a connection of its
// own, held in `own` (declared after the session, so it closes first and the
// mock stops without waiting for an idle keep-alive connection).
StatusOr<Transport*> AttemptTransport(const TransportOptions& options, bool per_session,
                                      std::unique_ptr<Transport>* own) {
  thread_local std::map<std::string, std::unique_ptr<Transport>> kept;
  std::unique_ptr<Transport>* slot = own;
  if (!per_session) {
    slot = &kept[options.base_url + "|" + options.ca_file + (options.insecure ? "|k" : "")];
    if (*slot) return slot->get();
  }
  auto created = Transport::Create(options);
  if (!created.ok()) return created.status();
  *slot = std::move(*created);
  return slot->get();
}

bool HasConnect(const Scenario& s) {
  auto is_connect = [](const Step& st) { return st.kind == Step::Kind::kConnect; };
  return std::any_of(s.steps.begin(), s.steps.end(), is_connect) ||
         std::any_of(s.cleanup.begin(), s.cleanup.end(), is_connect);
}

StepResult RunStep(const Step& step, StepContext& ctx) {
  switch (step.kind) {
    case Step::Kind::kBurst:
      return ctx.client != nullptr ? RunClientBurstStep(step, ctx) : RunBurstStep(step, ctx);
    case Step::Kind::kConnect:
      return RunConnectStep(step, ctx);
    case Step::Kind::kCall:
      break;
  }
  return ctx.client != nullptr ? RunClientCallStep(step, ctx) : RunCallStep(step, ctx);
}

// Runs the steps of one attempt on a fresh session.
std::vector<StepResult> RunAttempt(const Scenario& scenario, const Target& target, const RunOptions& options,
                                   const Clock& clock) {
  std::vector<StepResult> steps;
  StatusOr<Session> session = target.Open(scenario.fixture, HasConnect(scenario));
  if (!session.ok()) {
    StepResult r;
    r.name = "open the target";
    r.verdict = Verdict::kError;
    r.error = session.status().ToString();
    steps.push_back(std::move(r));
    return steps;
  }
  Redactor redactor;
  redactor.AddSecrets(session->secret_values);
  Variables vars(target.options().getenv);
  for (const auto& [k, v] : session->variables) vars.Set(k, v, IsSecretVariable(k));
  redactor.AddSecrets(vars.secrets());
  std::unique_ptr<Transport> own;
  StatusOr<Transport*> transport = AttemptTransport(session->transport, target.is_mock(), &own);
  if (!transport.ok()) {
    StepResult r;
    r.name = "connect";
    r.verdict = Verdict::kError;
    r.error = transport.status().ToString();
    steps.push_back(std::move(r));
    return steps;
  }
  // Declared after the transport: the adapter goes back to the pool first.
  std::optional<ClientLease> client;
  if (options.client != nullptr) client.emplace(options.client);
  StepContext ctx{&*session,
                  *transport,
                  &vars,
                  &redactor,
                  &clock,
                  options.default_scheme,
                  options.seed,
                  options.interrupted,
                  client ? &*client : nullptr};
  auto run = [&](const Step& step) { return RunStep(step, ctx); };
  for (const Step& step : scenario.steps) {
    steps.push_back(run(step));
    RedactStep(redactor, &steps.back());
    if (steps.back().verdict != Verdict::kPassed) break;
  }
  for (const Step& step : scenario.cleanup) {
    StepResult r = run(step);
    r.cleanup = true;
    r.name = "cleanup: " + r.name;
    RedactStep(redactor, &r);
    steps.push_back(std::move(r));
  }
  return steps;
}

Verdict Judge(const std::vector<StepResult>& steps) {
  Verdict v = Verdict::kPassed;
  for (const StepResult& s : steps) {
    if (s.cleanup) continue;
    if (s.verdict == Verdict::kError) return Verdict::kError;
    if (s.verdict == Verdict::kFailed) v = Verdict::kFailed;
  }
  return v;
}

ScenarioResult Skeleton(const ScenarioFile& file, const Scenario& scenario) {
  ScenarioResult r;
  r.name = scenario.name;
  r.classname = scenario.classname;
  r.file = scenario.loc.file.empty() ? file.path : scenario.loc.file;
  r.line = scenario.loc.line;
  r.tags = scenario.tags;
  r.description = scenario.description;
  return r;
}

struct Slot {
  size_t file;
  const Scenario* scenario;
  ScenarioResult result;
  TimePoint started;
  bool done = false;
};

bool HasBurst(const Scenario& s) {
  return std::any_of(s.steps.begin(), s.steps.end(), [](const Step& st) { return st.kind == Step::Kind::kBurst; });
}

// A little over the contract's one-second throttling window; returns early
// when interrupted.
void WaitThrottlingWindow(const RunOptions& options) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1100);
  while (std::chrono::steady_clock::now() < until && !Interrupted(options)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Results in report order; not-started scenarios (Ctrl-C) become skipped.
// Returns how many did not run.
size_t Assemble(const std::vector<ScenarioFile>& files, const Clock& clock, std::vector<Slot>* slots, RunResult* run) {
  size_t not_run = 0;
  for (Slot& slot : *slots) {
    if (!slot.done) {
      ++not_run;
      slot.result = Skeleton(files[slot.file], *slot.scenario);
      slot.result.verdict = Verdict::kSkipped;
      slot.result.message = "not run: the run was interrupted";
      slot.started = clock.Now();
    }
    if (run->files.empty() || run->files.back().path != files[slot.file].path) {
      run->files.push_back({files[slot.file].path, files[slot.file].suite, {}, slot.started, 0});
    }
    FileResult& fr = run->files.back();
    fr.started = std::min(fr.started, slot.started);
    fr.seconds += slot.result.seconds;
    fr.scenarios.push_back(std::move(slot.result));
  }
  return not_run;
}

std::string SignalName(const RunOptions& options) {
  int sig = options.interrupt_signal != nullptr ? options.interrupt_signal->load() : 0;
  if (sig == SIGINT) return "SIGINT (Ctrl-C)";
  if (sig == SIGTERM) return "SIGTERM";
  return sig > 0 ? "signal " + std::to_string(sig) : "Ctrl-C or SIGTERM";
}

// Skipped scenarios alone would leave a report that every consumer shows
// green: the interruption itself is an error.
FileResult InterruptionFile(const RunOptions& options, size_t not_run, size_t selected, TimePoint now) {
  ScenarioResult r;
  r.name = "run interrupted";
  r.classname = kRunnerClassname;
  r.verdict = Verdict::kError;
  StepResult step;
  step.name = "run";
  step.verdict = Verdict::kError;
  step.error_kind = ErrorKind::kInterrupted;
  step.error = "interrupted by " + SignalName(options) + ": " + std::to_string(not_run) + " of " +
               Plural(selected, "selected scenario") + " did not run (reported as skipped); the results are incomplete";
  r.steps.push_back(std::move(step));
  r.message = r.steps.back().error;
  FileResult f;
  f.path = "onsmqtt-runner";
  f.suite = "onsmqtt-runner";
  f.started = now;
  f.scenarios.push_back(std::move(r));
  return f;
}

}  // namespace

uint64_t StableHash(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool IsSelected(const ScenarioFile& file, const Scenario& scenario, const RunOptions& options) {
  if (!options.tags.empty()) {
    bool any = std::any_of(scenario.tags.begin(), scenario.tags.end(), [&](const std::string& t) {
      return std::find(options.tags.begin(), options.tags.end(), t) != options.tags.end();
    });
    if (!any) return false;
  }
  const std::string id = scenario.classname + "." + scenario.name;
  if (options.filter && !std::regex_search(id, *options.filter) && !std::regex_search(file.path, *options.filter)) {
    return false;
  }
  if (options.shard_count > 1) {
    return static_cast<int>(StableHash(id) % static_cast<uint64_t>(options.shard_count)) == options.shard_index - 1;
  }
  return true;
}

namespace {

// The first variable the scenario uses that the endpoint does not define
// (captures, built-ins and env.* do not count), or "".
std::string MissingVariable(const Scenario& scenario, const Target& target) {
  const std::set<std::string> captured(scenario.captured.begin(), scenario.captured.end());
  auto is_set = [&](const std::string& n) { return target.HasVariable(n) || captured.count(n) != 0; };
  for (const std::string& n : scenario.references) {
    if (SourceOf(n, is_set) == VariableSource::kUndefined) return n;
  }
  return "";
}

}  // namespace

namespace {

std::string EndpointSkipReason(const Scenario& scenario, const Target& target, const RunOptions& options) {
  if (target.is_mock()) return "";
  if (scenario.requires_mock) {
    return "needs a mock target" + (scenario.requires_reason.empty() ? "" : ": " + scenario.requires_reason);
  }
  if (HasConnect(scenario) && !target.has_mqtt()) return "no MQTT endpoint (--mqtt-endpoint)";
  if (scenario.mutates && !options.allow_mutations) {
    return "changes state on the target; pass --allow-mutations to run it against an endpoint";
  }
  if (std::string missing = MissingVariable(scenario, target); !missing.empty()) {
    return "needs variable ${" + missing + "} (define it in the --vars file)";
  }
  return "";
}

}  // namespace

std::string SkipReason(const Scenario& scenario, const Target& target, const RunOptions& options) {
  std::string reason = EndpointSkipReason(scenario, target, options);
  if (reason.empty() && options.client != nullptr) reason = ClientSkipReason(scenario, options.client->hello());
  return reason;
}

ScenarioResult RunScenario(const ScenarioFile& file, const Scenario& scenario, const Target& target,
                           const RunOptions& options) {
  ScenarioResult result = Skeleton(file, scenario);
  std::string skip = SkipReason(scenario, target, options);
  if (!skip.empty()) {
    result.verdict = Verdict::kSkipped;
    result.message = skip;
    return result;
  }
  const Clock& clock = options.clock ? *options.clock : SystemClock::Instance();
  const int retries = std::max(0, scenario.retries >= 0 ? scenario.retries : options.retries);
  result.attempts_allowed = retries + 1;
  auto start = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    auto attempt_start = std::chrono::steady_clock::now();
    result.steps = RunAttempt(scenario, target, options, clock);
    result.verdict = Judge(result.steps);
    result.message = OneLineSummary(result.steps);
    if (result.verdict == Verdict::kPassed || attempt >= retries || Interrupted(options)) break;
    result.earlier_attempts.push_back(
        {result.verdict, result.message, FailureDetail(result.steps), Since(attempt_start)});
  }
  result.seconds = Since(start);
  return result;
}

RunResult RunAll(const std::vector<ScenarioFile>& files, const Target& target, const RunOptions& options) {
  const Clock& clock = options.clock ? *options.clock : SystemClock::Instance();
  RunResult run;
  run.started = clock.Now();
  auto start = std::chrono::steady_clock::now();
  std::vector<Slot> slots;
  for (size_t f = 0; f < files.size(); ++f) {
    for (const Scenario& s : files[f].scenarios) {
      if (IsSelected(files[f], s, options)) slots.push_back({f, &s, {}, {}, false});
    }
  }
  // The work list is shuffled by the seed, so the order never silently
  // matters. On an endpoint all scenarios share one account's rate limit:
  // bursts run last, one at a time, a throttling window apart, so they
  // neither throttle other scenarios nor each other.
  std::vector<size_t> order, bursts;
  for (size_t i = 0; i < slots.size(); ++i) {
    (!target.is_mock() && HasBurst(*slots[i].scenario) ? bursts : order).push_back(i);
  }
  std::mt19937_64 rng(options.seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::mutex mu;
  auto run_slot = [&](Slot& slot) {
    slot.started = clock.Now();
    slot.result = RunScenario(files[slot.file], *slot.scenario, target, options);
    slot.done = true;
    std::lock_guard<std::mutex> lock(mu);
    if (options.on_scenario) options.on_scenario(slot.result);
  };
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    while (!Interrupted(options)) {
      size_t i = next.fetch_add(1);
      if (i >= order.size()) break;
      run_slot(slots[order[i]]);
    }
  };
  std::vector<std::thread> threads;
  int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<size_t>(1, order.size()))));
  for (int i = 0; i < jobs; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < bursts.size() && !Interrupted(options); ++i) {
    if (options.wait_throttling_window) {
      options.wait_throttling_window();
    } else {
      WaitThrottlingWindow(options);
    }
    if (!Interrupted(options)) run_slot(slots[bursts[i]]);
  }
  run.interrupted = Interrupted(options);
  size_t not_run = Assemble(files, clock, &slots, &run);
  if (run.interrupted) run.files.push_back(InterruptionFile(options, not_run, slots.size(), clock.Now()));
  run.seconds = Since(start);
  return run;
}

}  // namespace onsmqtt::runner
