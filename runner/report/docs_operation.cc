// One operation's page (docs_internal.h): what it is, its parameters and
// answer, its success examples and a section per error code.
#include <string>
#include <utility>
#include <vector>

#include "runner/report/docs_internal.h"

namespace onsmqtt::runner::docs {
namespace {

std::string Methods(const std::vector<HttpMethod>& methods) {
  std::string out;
  for (HttpMethod m : methods) out += (out.empty() ? "" : ", ") + std::string(HttpMethodName(m));
  return out;
}

std::string Description(const OperationSpec& op) {
  std::string out = "- Kind: " + std::string(KindText(op.kind)) + "\n";
  out += "- SDK method: " + std::string(HttpMethodName(op.sdk_method)) + "\n";
  out += "- Accepted methods: " + Methods(op.accepted_methods) + "\n";
  return out + "- RAM action: " + Code(op.ram_action) + "\n\n";
}

std::string IntegerRange(const ParameterSpec& p) {
  if (!p.integer) return "—";
  if (!p.integer->max) return "≥ " + std::to_string(p.integer->min);
  return std::to_string(p.integer->min) + "–" + std::to_string(*p.integer->max);
}

std::string Parameters(const OperationSpec& op) {
  std::string out = "## Parameters\n\n" + Header({"Name", "Type", "Required", "Max bytes", "Integer range"});
  for (const ParameterSpec& p : op.parameters) {
    // Every parameter is a string on the wire; `integer` is a rule on it.
    out += Row({CellCode(p.name), "string", p.required ? "yes" : "no", p.max_bytes ? std::to_string(*p.max_bytes) : "—",
                IntegerRange(p)});
  }
  return out + "\n";
}

void AddFields(const std::vector<FieldSpec>& fields, const std::string& prefix, std::string* out) {
  for (const FieldSpec& f : fields) {
    std::string path = prefix + f.name;
    *out += Row({CellCode(path), JsonTypeName(f.type)});
    if (f.type == JsonType::kObject) AddFields(f.fields, path + ".", out);
    if (f.type == JsonType::kArray) AddFields(f.fields, path + "[].", out);
  }
}

std::string Response(const OperationSpec& op) {
  std::string out =
      "## Response\n\nThe fields of a successful answer (HTTP 200), with their JSON types; `[]` is "
      "each item of an array. An XML answer has the same fields under `<" +
      op.name + "Response>`.\n\n" + Header({"Field", "JSON type"});
  AddFields(op.response, "", &out);
  return out + "\n";
}

struct Example {
  const ScenarioResult* scenario;
  const Exchange* exchange;
};

// The first success of each (scheme, format) among passing scenarios, in
// file order; single calls before burst samples.
std::vector<std::pair<std::string, Example>> SuccessExamples(const Page& page, const OperationSpec& op) {
  std::vector<std::pair<std::string, Example>> found;
  for (bool burst : {false, true}) {
    for (const FileResult& f : page.run.files) {
      for (const ScenarioResult& s : f.scenarios) {
        if (s.verdict != Verdict::kPassed) continue;
        for (const StepResult& step : s.steps) {
          for (const Exchange& e : step.exchanges) {
            if (e.action != op.name || e.status != 200 || !e.code.empty() || e.burst_sample != burst) continue;
            std::string key = e.scheme + "/" + (e.format.empty() ? "JSON" : e.format);
            bool seen = false;
            for (const auto& [k, ex] : found) seen = seen || k == key;
            if (!seen) found.emplace_back(key, Example{&s, &e});
          }
        }
      }
    }
  }
  return found;
}

std::string Successes(const Page& page, const OperationSpec& op) {
  std::string out = "## Success examples\n\n";
  std::vector<std::pair<std::string, Example>> found = SuccessExamples(page, op);
  std::string missing;
  // V3 first: what current SDKs send.
  for (const auto& [scheme, name] : {std::pair{"v3", "V3"}, std::pair{"v1", "V1"}}) {
    for (const char* format : {"JSON", "XML"}) {
      std::string title = std::string(name) + " " + format;
      const Example* ex = nullptr;
      for (const auto& [key, e] : found) {
        if (key == std::string(scheme) + "/" + format) ex = &e;
      }
      if (ex == nullptr) {
        missing += "- No " + title + " example in this run.\n";
        continue;
      }
      out += "### " + title + "\n\nFrom " + Text(ex->scenario->name) + " — " +
             SourceLink(page, ex->scenario->file, ex->scenario->line) + ":\n\n" + ExchangeMarkdown(page, *ex->exchange);
    }
  }
  if (!missing.empty()) out += (found.empty() ? "" : "Missing:\n\n") + missing + "\n";
  return out;
}

std::string StateCell(const Page& page, const CoveragePair* p) {
  if (!page.run.coverage.computed) return "not computed";
  if (p == nullptr) return "missing";
  if (p->state == CoverageState::kWaived) return "waived: " + Text(p->waiver);
  return CoverageStateName(p->state);
}

// The codes any operation may answer that this one did, linked to the
// index's sections.
std::string CommonReceived(const Page& page, const OperationSpec& op) {
  std::string codes;
  for (const CoveragePair& p : page.run.coverage.common) {
    if (p.operation != op.name) continue;
    codes += (codes.empty() ? "" : ", ") + Link(Code(p.code), page.File("index", Slug(p.code))) + " (" +
             StatusList(p.statuses) + ")";
  }
  return codes.empty() ? "" : "Common errors this run received from " + Text(op.name) + ": " + codes + ".\n\n";
}

std::string Errors(const Page& page, const OperationSpec& op) {
  std::string out = "## Errors\n\nThe service errors the contract documents for " + Text(op.name) + "; the " +
                    Link("common errors", page.File("index", "common-errors")) +
                    " (gateway, throttling) apply too.\n\n";
  out += Header({"Code", "Documented statuses", "Coverage"});
  for (const std::string& code : op.errors) {
    const ErrorSpec* spec = page.contract.FindError(code);
    out += Row({Link(CellCode(code), "#" + Slug(code)), spec != nullptr ? StatusList(spec->statuses) : "—",
                StateCell(page, FindPair(page.run.coverage, op.name, code))});
  }
  out += "\n" + CommonReceived(page, op);
  for (const std::string& code : op.errors) out += CodeSection(page, op, code);
  std::vector<const CoveragePair*> drift = UndocumentedPairs(page.run.coverage, op.name);
  if (drift.empty()) return out;
  out += "## Undocumented codes received\n\nDrift between the contract and the target: codes " + Text(op.name) +
         " answered that the contract does not document for it.\n\n";
  for (const CoveragePair* p : drift) out += DriftSection(page, *p);
  return out;
}

}  // namespace

std::string OperationPage(const Page& page, const OperationSpec& op) {
  std::string out = "# " + Text(op.name) + "\n\n" + Navigation(page);
  out += Text(ApiTitle(page)) + ", RPC style: " + Code("Action=" + op.name) + ".\n\n" + Description(op);
  return out + Parameters(op) + Response(op) + Successes(page, op) + Errors(page, op);
}

}  // namespace onsmqtt::runner::docs
