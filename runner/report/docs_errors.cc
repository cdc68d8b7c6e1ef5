// The sections of the documentation about one error code, and the
// recorded exchanges that demonstrate them (docs_internal.h).
#include <string>
#include <vector>

#include "runner/report/docs_internal.h"

namespace onsmqtt::runner::docs {
namespace {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 417:
      return "Expectation Failed";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string RequestText(const Exchange& e) {
  // An exchange recorded without the whole request keeps its line.
  if (e.request.headers.empty() && e.request.body.empty() && !e.request_line.empty()) return e.request_line + "\n";
  std::string out = e.request.method + " " + e.request.Target() + " HTTP/1.1\n";
  for (const auto& [name, value] : e.request.headers) out += name + ": " + value + "\n";
  if (!e.request.body.empty()) out += "\n" + e.request.body + "\n";
  return out;
}

std::string AnswerText(const Exchange& e) {
  std::string reason = ReasonPhrase(e.status);
  std::string out = "HTTP/1.1 " + std::to_string(e.status) + (reason.empty() ? "" : " " + reason) + "\n";
  for (const auto& [name, value] : e.response_headers) out += name + ": " + value + "\n";
  if (!e.body.empty()) out += "\n" + e.body + "\n";
  return out;
}

// "400 (the reference), 500".
std::string DocumentedStatuses(const ErrorSpec& spec) {
  std::string out;
  for (size_t i = 0; i < spec.statuses.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(spec.statuses[i]) + (i == 0 ? " (the reference)" : "");
  }
  return out;
}

std::string MockStatus(const Page& page, const ErrorSpec& spec) {
  std::string out = std::to_string(spec.mock_status);
  if (spec.mock_status_invalid) {
    out += " when a parameter is missing or empty, " + std::to_string(*spec.mock_status_invalid) +
           " when it is present but invalid";
  }
  for (const auto& [profile, statuses] : page.contract.profiles) {
    auto it = statuses.find(spec.code);
    if (it != statuses.end()) out += "; " + std::to_string(it->second) + " with the profile " + Code(profile);
  }
  return out;
}

// What the contract says about a code, as list items.
std::string Facts(const Page& page, const ErrorSpec& spec) {
  std::string out = "- Message: " + Code(spec.FormatMessage("{param}")) + "\n";
  out += "- Origin: " + std::string(spec.origin == ErrorOrigin::kGateway ? "the gateway" : "the service") + "\n";
  out += "- Documented statuses: " + DocumentedStatuses(spec) + "\n";
  out += "- The mock answers: " + MockStatus(page, spec) + "\n";
  if (!spec.assumption.empty()) out += "- Assumption: " + Text(spec.assumption) + "\n";
  return out;
}

// The scenarios behind `refs`, each with a link to its line, then the
// first exchange (normalized).
std::string Demonstrations(const Page& page, const std::string& label, const std::vector<ExchangeRef>& refs) {
  std::vector<const ScenarioResult*> scenarios = ScenariosOf(page.run, refs);
  if (scenarios.empty()) return "";
  std::string out = "\n" + label + ":\n\n";
  for (const ScenarioResult* s : scenarios)
    out += "- " + Text(s->name) + " — " + SourceLink(page, s->file, s->line) + "\n";
  for (const ExchangeRef& ref : refs) {
    if (const Exchange* e = FindExchange(page.run, ref)) return out + "\n" + ExchangeMarkdown(page, *e);
  }
  return out + "\n";
}

std::string CoverageLine(const Page& page, const OperationSpec& op, const std::string& code, const CoveragePair* p) {
  if (!page.run.coverage.computed) return "- Coverage: not computed in this run\n";
  if (p == nullptr || p->state == CoverageState::kMissing) {
    return "- Coverage: **missing**: no passing scenario of this run received " + Code(code) + " from " +
           Text(op.name) + "\n";
  }
  if (p->state == CoverageState::kWaived) {
    std::string where =
        p->waiver_loc.file.empty() ? "" : " (" + SourceLink(page, p->waiver_loc.file, p->waiver_loc.line) + ")";
    return "- Coverage: **waived**: " + Text(p->waiver) + where + "\n";
  }
  return "- Coverage: **" + std::string(CoverageStateName(p->state)) +
         "** (statuses received: " + StatusList(p->statuses) + ")\n";
}

}  // namespace

std::string ExchangeMarkdown(const Page& page, const Exchange& exchange) {
  Exchange e = NormalizeExchange(exchange, page.options);
  std::string what = e.burst_sample ? " (one sample of a burst)" : "";
  std::string out = "Request" + what + ", as sent:\n\n" + Fenced(RequestText(e), "http") + "\n";
  if (e.status == 0) return out + "No answer.\n\n";
  return out + "Answer, as received:\n\n" + Fenced(AnswerText(e), "http") + "\n";
}

std::string CodeSection(const Page& page, const OperationSpec& op, const std::string& code) {
  std::string out = "### " + Code(code) + "\n\n";
  const ErrorSpec* spec = page.contract.FindError(code);
  if (spec != nullptr) out += Facts(page, *spec);
  const CoveragePair* pair = FindPair(page.run.coverage, op.name, code);
  out += CoverageLine(page, op, code, pair);
  if (pair == nullptr || pair->state != CoverageState::kDemonstrated) return out + "\n";
  return out + Demonstrations(page, "Demonstrated by", pair->exchanges);
}

std::string DriftHeading(const std::string& code) { return code + " (undocumented)"; }

std::string DriftSection(const Page& page, const CoveragePair& pair) {
  std::string out = "### " + Code(pair.code) + " (undocumented)\n\n";
  out += "**Drift**: the contract does not list " + Code(pair.code) + " for " + Text(pair.operation) +
         ", yet the run received it (statuses: " + StatusList(pair.statuses) + ").\n\n";
  const ErrorSpec* spec = page.contract.FindError(pair.code);
  out += spec != nullptr ? Facts(page, *spec) : "- The catalogue does not know this code.\n";
  std::string shown = Demonstrations(page, "Received in", pair.exchanges);
  return out + (shown.empty() ? "\n" : shown);
}

std::string CommonSection(const Page& page, const ErrorSpec& spec) {
  std::string out = "### " + Code(spec.code) + "\n\n" + Facts(page, spec);
  std::vector<const CoveragePair*> pairs = CommonPairs(page.run.coverage, spec.code);
  if (!page.run.coverage.computed) return out + "- Coverage: not computed in this run\n\n";
  if (pairs.empty()) return out + "- Demonstrated: not in this run\n\n";
  std::vector<ExchangeRef> refs;
  std::string by;
  for (const CoveragePair* p : pairs) {
    by += (by.empty() ? "" : ", ") + Link(Text(p->operation), page.File(p->operation)) + " (" +
          StatusList(p->statuses) + ")";
    refs.insert(refs.end(), p->exchanges.begin(), p->exchanges.end());
  }
  out += "- Demonstrated with: " + by + "\n";
  std::string shown = Demonstrations(page, "Demonstrated by", refs);
  return out + (shown.empty() ? "\n" : shown);
}

}  // namespace onsmqtt::runner::docs
