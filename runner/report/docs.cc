// RenderDocs (docs.h): the files of the documentation, the lookups every
// page shares, and the index.
#include "runner/report/docs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "runner/report/docs_internal.h"

namespace onsmqtt::runner {
namespace docs {

const Exchange* FindExchange(const RunResult& run, const ExchangeRef& ref) {
  const ScenarioResult* s = FindScenario(run, ref);
  if (s == nullptr || ref.step >= s->steps.size()) return nullptr;
  const StepResult& step = s->steps[ref.step];
  return ref.exchange < step.exchanges.size() ? &step.exchanges[ref.exchange] : nullptr;
}

const ScenarioResult* FindScenario(const RunResult& run, const ExchangeRef& ref) {
  if (ref.file >= run.files.size()) return nullptr;
  const FileResult& f = run.files[ref.file];
  return ref.scenario < f.scenarios.size() ? &f.scenarios[ref.scenario] : nullptr;
}

std::vector<const ScenarioResult*> ScenariosOf(const RunResult& run, const std::vector<ExchangeRef>& refs) {
  std::vector<const ScenarioResult*> out;
  for (const ExchangeRef& ref : refs) {
    const ScenarioResult* s = FindScenario(run, ref);
    if (s != nullptr && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

const CoveragePair* FindPair(const Coverage& coverage, std::string_view operation, std::string_view code) {
  for (const CoveragePair& p : coverage.pairs) {
    if (p.operation == operation && p.code == code) return &p;
  }
  return nullptr;
}

std::vector<const CoveragePair*> UndocumentedPairs(const Coverage& coverage, std::string_view operation) {
  std::vector<const CoveragePair*> out;
  for (const CoveragePair& p : coverage.pairs) {
    if (p.operation == operation && p.state == CoverageState::kUndocumented) out.push_back(&p);
  }
  return out;
}

std::vector<const CoveragePair*> CommonPairs(const Coverage& coverage, std::string_view code) {
  std::vector<const CoveragePair*> out;
  for (const CoveragePair& p : coverage.common) {
    if (p.code == code) out.push_back(&p);
  }
  return out;
}

std::vector<const ErrorSpec*> CommonErrors(const Contract& contract) {
  std::set<std::string> listed;
  for (const OperationSpec& op : contract.operations) listed.insert(op.errors.begin(), op.errors.end());
  std::vector<const ErrorSpec*> out;
  for (const ErrorSpec& e : contract.errors) {
    if (e.origin == ErrorOrigin::kGateway || listed.count(e.code) == 0) out.push_back(&e);
  }
  return out;
}

const char* StateName(CoverageState state) {
  switch (state) {
    case CoverageState::kDemonstrated:
      return "demonstrated";
    case CoverageState::kMissing:
      return "missing";
    case CoverageState::kWaived:
      return "waived";
    case CoverageState::kUndocumented:
      return "undocumented";
  }
  return "?";
}

size_t CountState(const Coverage& coverage, CoverageState state) {
  return static_cast<size_t>(std::count_if(coverage.pairs.begin(), coverage.pairs.end(),
                                           [&](const CoveragePair& p) { return p.state == state; }));
}

size_t DocumentedPairs(const Coverage& coverage) {
  return coverage.pairs.size() - CountState(coverage, CoverageState::kUndocumented);
}

double Percent(const Coverage& coverage) {
  size_t documented = DocumentedPairs(coverage);
  if (documented == 0) return 0;
  double percent =
      100.0 * static_cast<double>(CountState(coverage, CoverageState::kDemonstrated)) / static_cast<double>(documented);
  return std::round(percent * 10) / 10;
}

std::string PercentText(const Coverage& coverage) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", Percent(coverage));
  return buf;
}

const char* KindText(OperationKind kind) {
  switch (kind) {
    case OperationKind::kRead:
      return "read";
    case OperationKind::kWrite:
      return "write";
    case OperationKind::kDelete:
      return "delete";
  }
  return "?";
}

std::string ApiVersion(const Page& page) {
  return page.run.info.api_version.empty() ? page.contract.version : page.run.info.api_version;
}

std::string ApiTitle(const Page& page) { return page.contract.product + " " + ApiVersion(page); }

std::string Navigation(const Page& page) {
  return Link("Index", page.File("index")) + " · " + Link("Coverage matrix", page.File("coverage")) + "\n\n";
}

namespace {

std::string TargetText(const RunInfo& info) {
  if (info.target_kind == "mock") return "the embedded mock (onsmqtt-mock's service, in process)";
  if (info.target_kind == "endpoint") {
    return "a real endpoint" + (info.region.empty() ? std::string() : " in region " + Code(info.region));
  }
  return info.target_kind.empty() ? "an unnamed target" : Text(info.target_kind);
}

std::string Introduction(const Page& page) {
  const RunInfo& info = page.run.info;
  std::string runner = "onsmqtt-runner" + (info.runner_version.empty() ? "" : " " + info.runner_version);
  std::string out = "# " + Text(ApiTitle(page)) + ": the contract by example\n\n";
  out += "The documentation by example of the " + Text(page.contract.product) + " API, version " +
         Text(ApiVersion(page)) +
         " (ApsaraMQ for MQTT, certificate management): every operation of the contract with its parameters, "
         "its answer and each error code it documents, shown by the exchanges of a conformance run. Generated by " +
         Text(runner) + " from a run against " + TargetText(info) + ".\n\n";
  out +=
      "The exchanges are shown exactly as sent and received, except for what changes from one run to the next: "
      "request ids and other UUIDs are `<uuid-1>`, `<uuid-2>`, ... in order of appearance, times `<timestamp>`, "
      "nonces `<nonce>`, values the runner made up `<name>`, the answer's `Date` `<date>`. Signatures, tokens "
      "and secrets are `***`. A `Content-Length` is the length received, before placeholders.\n\n";
  return out + "See also the " + Link("coverage matrix", page.File("coverage")) + " (and coverage.json).\n\n";
}

std::string OperationsTable(const Page& page) {
  std::string out = "## Operations\n\n" + Header({"Operation", "Description", "Documented codes", "Demonstrated"});
  for (const OperationSpec& op : page.contract.operations) {
    size_t demonstrated = 0;
    for (const std::string& code : op.errors) {
      const CoveragePair* p = FindPair(page.run.coverage, op.name, code);
      if (p != nullptr && p->state == CoverageState::kDemonstrated) ++demonstrated;
    }
    std::string shown = page.run.coverage.computed ? std::to_string(demonstrated) : "not computed";
    out += Row({Link(Text(op.name), page.File(op.name)),
                std::string(KindText(op.kind)) + ", RAM action " + CellCode(op.ram_action),
                std::to_string(op.errors.size()), shown});
  }
  return out + "\n";
}

std::string CommonErrorsTable(const Page& page) {
  std::string out =
      "## Common errors\n\nCodes any operation may answer: the gateway's (signature, credentials, "
      "common parameters, throttling) and the service's that no operation lists.\n\n";
  out += Header({"Code", "Origin", "Message", "Statuses", "Demonstrated by"});
  for (const ErrorSpec* e : CommonErrors(page.contract)) {
    std::vector<const CoveragePair*> pairs = CommonPairs(page.run.coverage, e->code);
    std::string ops;
    for (const CoveragePair* p : pairs) ops += (ops.empty() ? "" : ", ") + Text(p->operation);
    out +=
        Row({Link(CellCode(e->code), "#" + Slug(e->code)), e->origin == ErrorOrigin::kGateway ? "gateway" : "service",
             CellCode(e->FormatMessage("{param}")), StatusList(e->statuses), ops.empty() ? "—" : ops});
  }
  out += "\n";
  for (const ErrorSpec* e : CommonErrors(page.contract)) out += CommonSection(page, *e);
  return out;
}

}  // namespace

std::string IndexPage(const Page& page) { return Introduction(page) + OperationsTable(page) + CommonErrorsTable(page); }

}  // namespace docs

std::map<std::string, std::string> RenderDocs(const RunResult& run, const Contract& contract,
                                              const DocsOptions& options) {
  std::map<std::string, std::string> out;
  for (std::string_view ext : {".md", ".html"}) {
    docs::Page page{run, contract, options, ext};
    bool html = ext == ".html";
    std::string api = docs::ApiTitle(page);
    auto add = [&](const std::string& base, const std::string& markdown, const std::string& title) {
      out[base + std::string(ext)] = html ? MarkdownToHtml(markdown, title) : markdown;
    };
    add("index", docs::IndexPage(page), api + ": the contract by example");
    for (const OperationSpec& op : contract.operations)
      add(op.name, docs::OperationPage(page, op), op.name + " — " + api);
    add("coverage", docs::CoveragePage(page), "Coverage — " + api);
  }
  out["coverage.json"] = docs::CoverageJson(run);
  return out;
}

}  // namespace onsmqtt::runner
