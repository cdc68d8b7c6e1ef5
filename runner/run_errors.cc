#include "runner/run_errors.h"

#include <set>

#include "contract/yaml_tree.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

ScenarioResult Errored(const std::string& name, const std::string& classname, const std::string& step_name,
                       ErrorKind kind, const std::string& error) {
  ScenarioResult r;
  r.name = name;
  r.classname = classname;
  r.verdict = Verdict::kError;
  StepResult step;
  step.name = step_name;
  step.verdict = Verdict::kError;
  step.error = error;
  step.error_kind = kind;
  r.steps.push_back(std::move(step));
  return r;
}

std::string Joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "--tags nosuchtag (unknown tag; did you mean "x"?; tags in use: a, b)".
std::string TagsPart(const std::vector<std::string>& tags, const std::set<std::string>& in_use) {
  std::vector<std::string> unknown;
  std::string hints;
  const std::vector<std::string> candidates(in_use.begin(), in_use.end());
  for (const std::string& t : tags) {
    if (in_use.count(t)) continue;
    unknown.push_back("\"" + t + "\"");
    if (std::string hint = yaml::DidYouMean(t, candidates); !hint.empty()) hints += "; for \"" + t + "\" " + hint;
  }
  std::string out = "--tags " + Joined(tags, ",");
  if (unknown.empty()) return out;
  out += " (no scenario has the tag" + std::string(unknown.size() > 1 ? "s " : " ") + Joined(unknown, ", ") + hints;
  return out + "; tags in use: " + Joined(candidates, ", ") + ")";
}

}  // namespace

RunResult RunnerErrorRun(const std::string& name, ErrorKind kind, const std::string& error, TimePoint now) {
  RunResult run;
  run.started = now;
  FileResult f;
  f.path = "onsmqtt-runner";
  f.suite = "onsmqtt-runner";
  f.started = now;
  f.scenarios.push_back(Errored(name, kRunnerClassname, name, kind, error));
  f.scenarios.back().message = error.substr(0, error.find('\n'));
  run.files.push_back(std::move(f));
  return run;
}

RunResult LoadErrorRun(const std::vector<Diagnostic>& errors, TimePoint now) {
  RunResult run;
  run.started = now;
  for (const Diagnostic& d : errors) {
    const std::string file = d.loc.file.empty() ? "(unknown file)" : d.loc.file;
    if (run.files.empty() || run.files.back().path != file) {
      FileResult f;
      f.path = file;
      f.suite = file;
      f.started = now;
      f.scenarios.push_back(
          Errored("load " + file, "onsmqtt.scenario_files", "load", ErrorKind::kScenario, "scenario error: "));
      f.scenarios.back().file = file;
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

size_t CountSelected(const std::vector<ScenarioFile>& files, const RunOptions& options) {
  size_t n = 0;
  for (const ScenarioFile& f : files) {
    for (const Scenario& s : f.scenarios) n += IsSelected(f, s, options) ? 1 : 0;
  }
  return n;
}

std::string EmptySelectionReason(const std::vector<ScenarioFile>& files, const SelectionInput& in) {
  if (files.empty()) {
    return "no scenario file (*.yaml, *.yml with scenarios) under " + Joined(in.paths, ", ");
  }
  size_t total = 0;
  std::set<std::string> tags;
  for (const ScenarioFile& f : files) {
    total += f.scenarios.size();
    for (const Scenario& s : f.scenarios) tags.insert(s.tags.begin(), s.tags.end());
  }
  std::vector<std::string> parts;
  if (!in.tags.empty()) parts.push_back(TagsPart(in.tags, tags));
  if (!in.filter.empty()) parts.push_back("--filter " + ShellWord(in.filter));
  if (in.shard_count > 1) {
    parts.push_back("--shard " + std::to_string(in.shard_index) + "/" + std::to_string(in.shard_count));
  }
  return "the selection " + Joined(parts, " and ") + " matches none of the " + Plural(total, "scenario") + " in " +
         Plural(files.size(), "file");
}

}  // namespace onsmqtt::runner
