// The coverage summary of the HTML report: counts per state, then the
// pairs that are not demonstrated, each with why or where it was seen.
#include <array>

#include "runner/report/report_html_parts.h"

namespace onsmqtt::runner::html {
namespace {

constexpr std::array<CoverageState, 4> kStates = {CoverageState::kDemonstrated, CoverageState::kMissing,
                                                  CoverageState::kWaived, CoverageState::kUndocumented};

std::string Statuses(const CoveragePair& p) {
  std::string out;
  for (int s : p.statuses) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

// The scenarios that received the pair, each linked to its exchange.
std::string SeenIn(const RunResult& run, const CoveragePair& p) {
  std::string out;
  for (const ExchangeRef& r : p.exchanges) {
    if (r.file >= run.files.size() || r.scenario >= run.files[r.file].scenarios.size()) continue;
    const ScenarioResult& s = run.files[r.file].scenarios[r.scenario];
    out += (out.empty() ? "seen in " : ", ") + std::string("<a") + Attr("href", "#" + ExchangeId(r)) + ">" +
           Text(s.name) + "</a>";
  }
  return out;
}

std::string Detail(const RunResult& run, const HtmlOptions& options, const CoveragePair& p) {
  switch (p.state) {
    case CoverageState::kMissing:
      return "no passing scenario received it";
    case CoverageState::kWaived: {
      std::string out = Text(p.waiver);
      if (p.waiver_loc.file.empty()) return out;
      return out + " (" + SourceLink(options, p.waiver_loc.file, p.waiver_loc.line, p.waiver_loc.ToString()) + ")";
    }
    case CoverageState::kDemonstrated:
    case CoverageState::kUndocumented:
      return SeenIn(run, p);
  }
  return "";
}

void RenderCounts(const Coverage& c, std::string* out) {
  const size_t documented = c.Documented();
  *out += "<p class=\"coverage-summary\">" + std::to_string(c.Count(CoverageState::kDemonstrated)) + " of " +
          std::to_string(documented) + " documented (operation, error code) pairs demonstrated; gate " +
          (c.gate ? "on" : "off") + ". Codes any operation may answer, received: " + std::to_string(c.common.size()) +
          ".</p>\n<ul class=\"coverage-counts\">";
  for (CoverageState s : kStates) {
    *out += std::string("<li class=\"") + CoverageStateName(s) + "\">" + CoverageStateName(s) + " " +
            std::to_string(c.Count(s)) + "</li>";
  }
  *out += "</ul>\n";
}

}  // namespace

void RenderCoverage(const RunResult& run, const HtmlOptions& options, std::string* out) {
  const Coverage& c = run.coverage;
  if (!c.computed) return;
  *out += "<section id=\"coverage\">\n<h2>Coverage</h2>\n";
  RenderCounts(c, out);
  bool table = false;
  for (const CoveragePair& p : c.pairs) {
    if (p.state == CoverageState::kDemonstrated) continue;
    if (!table) {
      *out +=
          "<table class=\"coverage\">\n<thead><tr><th>state</th><th>operation</th><th>code</th><th>statuses</th>"
          "<th>detail</th></tr></thead>\n<tbody>\n";
      table = true;
    }
    *out += std::string("<tr class=\"") + CoverageStateName(p.state) + "\"><td>" + CoverageStateName(p.state) +
            "</td><td>" + Text(p.operation) + "</td><td><code>" + Text(p.code) + "</code></td><td>" + Statuses(p) +
            "</td><td>" + Detail(run, options, p) + "</td></tr>\n";
  }
  if (table) *out += "</tbody>\n</table>\n";
  *out += "</section>\n";
}

}  // namespace onsmqtt::runner::html
