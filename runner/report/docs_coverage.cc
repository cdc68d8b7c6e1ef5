// The coverage matrix (coverage.md/.html) and coverage.json
// (docs_internal.h). They format RunResult::coverage; they compute nothing.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runner/report/docs_internal.h"
#include "runner/result/coverage.h"

namespace onsmqtt::runner::docs {
namespace {

using nlohmann::ordered_json;

// The matrix's columns: every code any operation documents, in the
// contract's order, then the undocumented codes received.
std::vector<std::string> Columns(const Page& page) {
  std::vector<std::string> out;
  auto add = [&](const std::string& code) {
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  };
  for (const OperationSpec& op : page.contract.operations) {
    for (const std::string& code : op.errors) add(code);
  }
  for (const CoveragePair& p : page.run.coverage.pairs) {
    if (p.state == CoverageState::kUndocumented) add(p.code);
  }
  return out;
}

std::string Cell(const Page& page, const OperationSpec& op, const std::string& code) {
  const CoveragePair* p = FindPair(page.run.coverage, op.name, code);
  bool documented = std::find(op.errors.begin(), op.errors.end(), code) != op.errors.end();
  if (p != nullptr && p->state == CoverageState::kUndocumented) {
    return Link("⚠ undocumented", page.File(op.name, Slug(DriftHeading(code))));
  }
  if (!documented) return "—";
  std::string section = page.File(op.name, Slug(code));
  if (!page.run.coverage.computed) return Link("?", section);
  if (p == nullptr || p->state == CoverageState::kMissing) return Link("✗", section);
  if (p->state == CoverageState::kWaived) return Link("waived", section) + " (" + Text(p->waiver) + ")";
  return Link("✓", section);
}

std::string Matrix(const Page& page) {
  std::vector<std::string> columns = Columns(page);
  std::vector<std::string> names = {"Operation"};
  for (const std::string& code : columns) names.push_back(CellCode(code));
  std::string out = "## Operations × documented codes\n\n";
  out +=
      "✓ demonstrated, ✗ missing, waived (with the reason), — not documented for the operation, "
      "⚠ received though not documented (drift).\n\n" +
      Header(names);
  for (const OperationSpec& op : page.contract.operations) {
    std::vector<std::string> cells = {Link(Text(op.name), page.File(op.name))};
    for (const std::string& code : columns) cells.push_back(Cell(page, op, code));
    out += Row(cells);
  }
  return out + "\n";
}

std::string Totals(const Page& page) {
  const Coverage& c = page.run.coverage;
  std::string out = "## Totals\n\n";
  out += "- Documented pairs: " + std::to_string(c.Documented()) + "\n";
  out += "- Demonstrated: " + std::to_string(c.Count(CoverageState::kDemonstrated)) + " (" + PercentText(c) + "%)\n";
  out += "- Waived: " + std::to_string(c.Count(CoverageState::kWaived)) + "\n";
  out += "- Missing: " + std::to_string(c.Count(CoverageState::kMissing)) + "\n";
  out += "- Undocumented codes received: " + std::to_string(c.Count(CoverageState::kUndocumented)) + "\n";
  out += c.gate ? "\nThe coverage gate was on: a missing pair fails the run.\n\n" : "\n";
  return out;
}

std::string Common(const Page& page) {
  std::string out =
      "## Common errors\n\nCodes any operation may answer, by the operations that demonstrated them "
      "(never a gap).\n\n" +
      Header({"Code", "Demonstrated with"});
  for (const ErrorSpec* e : CommonErrors(page.contract)) {
    std::string ops;
    for (const CoveragePair* p : CommonPairs(page.run.coverage, e->code)) {
      ops += (ops.empty() ? "" : ", ") + Link(Text(p->operation), page.File(p->operation));
    }
    out += Row({Link(CellCode(e->code), page.File("index", Slug(e->code))), ops.empty() ? "—" : ops});
  }
  return out + "\n";
}

ordered_json Scenarios(const RunResult& run, const std::vector<ExchangeRef>& refs) {
  ordered_json out = ordered_json::array();
  for (const ScenarioResult* s : ScenariosOf(run, refs)) {
    out.push_back({{"name", s->name}, {"classname", s->classname}, {"file", s->file}, {"line", s->line}});
  }
  return out;
}

ordered_json PairJson(const RunResult& run, const CoveragePair& p, bool with_state) {
  ordered_json out = {{"operation", p.operation}, {"code", p.code}};
  if (with_state) out["state"] = CoverageStateName(p.state);
  out["statuses"] = p.statuses;
  out["scenarios"] = Scenarios(run, p.exchanges);
  if (with_state && p.state == CoverageState::kWaived) {
    out["reason"] = p.waiver;
    if (p.waiver_loc.known()) out["waiver_location"] = p.waiver_loc.ToString();
  }
  return out;
}

}  // namespace

std::string CoveragePage(const Page& page) {
  std::string out = "# Coverage: " + Text(ApiTitle(page)) + "\n\n" + Navigation(page);
  if (!page.run.coverage.computed) {
    return out + "This run computed no coverage (coverage was off, or nothing ran).\n";
  }
  out +=
      "Which (operation, error code) pairs the contract documents this run demonstrated: a passing scenario "
      "called the operation and received the code.\n\n";
  return out + Totals(page) + Matrix(page) + Common(page);
}

std::string CoverageJson(const RunResult& run) {
  const Coverage& c = run.coverage;
  ordered_json summary = {{"computed", c.computed},
                          {"gate", c.gate},
                          {"documented", c.Documented()},
                          {"demonstrated", c.Count(CoverageState::kDemonstrated)},
                          {"waived", c.Count(CoverageState::kWaived)},
                          {"missing", c.Count(CoverageState::kMissing)},
                          {"undocumented", c.Count(CoverageState::kUndocumented)},
                          {"percent", std::round(DemonstratedPercent(c) * 10) / 10}};
  ordered_json pairs = ordered_json::array();
  for (const CoveragePair& p : c.pairs) pairs.push_back(PairJson(run, p, true));
  ordered_json common = ordered_json::array();
  for (const CoveragePair& p : c.common) common.push_back(PairJson(run, p, false));
  ordered_json out = {{"summary", summary}, {"pairs", pairs}, {"common", common}};
  // Invalid UTF-8 in a scenario's name must not abort the documentation.
  return out.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace onsmqtt::runner::docs
