#include "runner/result/coverage.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "contract/yaml_tree.h"

namespace onsmqtt::runner {
namespace {

using PairKey = std::pair<std::string, std::string>;  // (operation, code)

bool Documents(const OperationSpec& op, const std::string& code) {
  return std::find(op.errors.begin(), op.errors.end(), code) != op.errors.end();
}

StatusOr<Waiver> ReadWaiver(const yaml::Node& node, const Contract& contract) {
  yaml::MapReader r(node, "waiver");
  const yaml::Node* op = r.Required("operation");
  const yaml::Node* code = r.Required("code");
  const yaml::Node* reason = r.Required("reason");
  if (Status s = r.Finish(); !s.ok()) return s;
  Waiver w;
  w.loc = node.loc;
  DECLARE_OR_RETURN(StatusOr<std::string>, op_name, yaml::AsString(*op, "operation"));
  DECLARE_OR_RETURN(StatusOr<std::string>, code_name, yaml::AsString(*code, "code"));
  DECLARE_OR_RETURN(StatusOr<std::string>, why, yaml::AsString(*reason, "reason"));
  const OperationSpec* spec = contract.FindOperation(*op_name);
  if (spec == nullptr) {
    std::string hint = yaml::DidYouMean(*op_name, contract.OperationNames());
    return Status::ParseError(op->loc, "unknown operation \"" + *op_name + "\"" + (hint.empty() ? "" : "; " + hint));
  }
  if (!Documents(*spec, *code_name)) {
    std::string hint = yaml::DidYouMean(*code_name, spec->errors);
    return Status::ParseError(code->loc, "the contract does not document \"" + *code_name + "\" for " + *op_name +
                                             (hint.empty() ? "" : "; " + hint) +
                                             ": only documented pairs can be waived");
  }
  if (why->find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::ParseError(reason->loc, "a waiver needs a reason a reader accepts, not an empty one");
  }
  w.operation = *op_name;
  w.code = *code_name;
  w.reason = *why;
  return w;
}

// Every exchange of the run, by (operation, code), in file order; burst
// samples after single calls. `passing_only`: of passing scenarios only.
std::map<PairKey, std::vector<ExchangeRef>> Received(const RunResult& run, bool passing_only) {
  std::map<PairKey, std::vector<ExchangeRef>> singles, bursts;
  for (size_t f = 0; f < run.files.size(); ++f) {
    const FileResult& file = run.files[f];
    for (size_t s = 0; s < file.scenarios.size(); ++s) {
      const ScenarioResult& scenario = file.scenarios[s];
      if (passing_only && scenario.verdict != Verdict::kPassed) continue;
      for (size_t st = 0; st < scenario.steps.size(); ++st) {
        const StepResult& step = scenario.steps[st];
        if (step.cleanup) continue;  // cleanup steps are not judged
        for (size_t e = 0; e < step.exchanges.size(); ++e) {
          const Exchange& ex = step.exchanges[e];
          if (ex.code.empty() || ex.action.empty() || ex.status == 0) continue;
          (ex.burst_sample ? bursts : singles)[{ex.action, ex.code}].push_back({f, s, st, e});
        }
      }
    }
  }
  for (auto& [key, refs] : bursts) {
    auto& all = singles[key];
    all.insert(all.end(), refs.begin(), refs.end());
  }
  return singles;
}

std::vector<int> StatusesOf(const RunResult& run, const std::vector<ExchangeRef>& refs) {
  std::set<int> statuses;
  for (const ExchangeRef& r : refs) {
    statuses.insert(run.files[r.file].scenarios[r.scenario].steps[r.step].exchanges[r.exchange].status);
  }
  return {statuses.begin(), statuses.end()};
}

}  // namespace

const char* CoverageStateName(CoverageState s) {
  switch (s) {
    case CoverageState::kDemonstrated:
      return "demonstrated";
    case CoverageState::kMissing:
      return "missing";
    case CoverageState::kWaived:
      return "waived";
    case CoverageState::kUndocumented:
      return "undocumented";
  }
  return "missing";
}

size_t Coverage::Count(CoverageState s) const {
  return static_cast<size_t>(
      std::count_if(pairs.begin(), pairs.end(), [s](const CoveragePair& p) { return p.state == s; }));
}

size_t Coverage::Documented() const { return pairs.size() - Count(CoverageState::kUndocumented); }

StatusOr<std::vector<Waiver>> ParseWaivers(const std::string& text, const std::string& file, const Contract& contract) {
  DECLARE_OR_RETURN(StatusOr<yaml::Node>, root, yaml::Parse(text, file));
  yaml::MapReader r(*root, "waiver file");
  const yaml::Node* list = r.Required("waivers");
  if (Status s = r.Finish(); !s.ok()) return s;
  std::vector<Waiver> out;
  if (list->is_null()) return out;
  if (!list->is_sequence()) {
    return Status::ParseError(list->loc, std::string("waivers is a list, not ") + list->KindName());
  }
  std::set<PairKey> seen;
  for (const yaml::Node& item : list->items) {
    DECLARE_OR_RETURN(StatusOr<Waiver>, w, ReadWaiver(item, contract));
    if (!seen.insert({w->operation, w->code}).second) {
      return Status::ParseError(item.loc, w->operation + " / " + w->code + " is waived twice");
    }
    out.push_back(*w);
  }
  return out;
}

StatusOr<std::vector<Waiver>> LoadWaivers(const std::string& path, const Contract& contract) {
  DECLARE_OR_RETURN(StatusOr<std::string>, text, yaml::ReadFile(path));
  return ParseWaivers(*text, path, contract);
}

Coverage ComputeCoverage(const RunResult& run, const Contract& contract, const std::vector<Waiver>& waivers,
                         bool gate) {
  Coverage c;
  c.computed = true;
  c.gate = gate;
  std::map<PairKey, std::vector<ExchangeRef>> passing = Received(run, true);
  std::map<PairKey, const Waiver*> waived;
  for (const Waiver& w : waivers) waived[{w.operation, w.code}] = &w;
  for (const OperationSpec& op : contract.operations) {
    for (const std::string& code : op.errors) {
      CoveragePair p;
      p.operation = op.name;
      p.code = code;
      if (auto it = passing.find({op.name, code}); it != passing.end()) {
        p.state = CoverageState::kDemonstrated;
        p.exchanges = it->second;
      } else if (auto w = waived.find({op.name, code}); w != waived.end()) {
        p.state = CoverageState::kWaived;
        p.waiver = w->second->reason;
        p.waiver_loc = w->second->loc;
      }
      p.statuses = StatusesOf(run, p.exchanges);
      c.pairs.push_back(std::move(p));
    }
  }
  for (const auto& [key, refs] : Received(run, false)) {
    const OperationSpec* op = contract.FindOperation(key.first);
    if (op == nullptr || Documents(*op, key.second)) continue;
    bool common = IsCommonError(contract, key.second);
    auto passed = passing.find(key);
    if (common && passed == passing.end()) continue;
    CoveragePair p;
    p.operation = key.first;
    p.code = key.second;
    p.state = common ? CoverageState::kDemonstrated : CoverageState::kUndocumented;
    p.exchanges = common ? passed->second : refs;
    p.statuses = StatusesOf(run, p.exchanges);
    (common ? c.common : c.pairs).push_back(std::move(p));
  }
  return c;
}

// Codes any operation may answer: the gateway's, and service errors the
// contract lists for no operation (SystemOverFlow, InternalError).
bool IsCommonError(const Contract& contract, const std::string& code) {
  const ErrorSpec* e = contract.FindError(code);
  if (e == nullptr) return false;
  if (e->origin == ErrorOrigin::kGateway) return true;
  for (const OperationSpec& op : contract.operations) {
    if (Documents(op, code)) return false;
  }
  return true;
}

double DemonstratedPercent(const Coverage& c) {
  size_t documented = c.Documented();
  if (documented == 0) return 100.0;
  return 100.0 * static_cast<double>(c.Count(CoverageState::kDemonstrated)) / static_cast<double>(documented);
}

}  // namespace onsmqtt::runner
