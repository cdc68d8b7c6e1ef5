#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contract/contract.h"
#include "runner/report/docs.h"
#include "runner/result/result.h"

// The pieces the documentation's files share (docs.cc, docs_operation.cc,
// docs_errors.cc, docs_coverage.cc, docs_markdown.cc, docs_html.cc). Not
// the report's interface: docs.h is.
namespace onsmqtt::runner::docs {

// One page being written, in one variant: links to sibling pages end in
// `ext` (".md" or ".html"), so each variant links its own kind.
struct Page {
  const RunResult& run;
  const Contract& contract;
  const DocsOptions& options;
  std::string_view ext;

  // "ActiveDeviceCertificate.md", or with a fragment "...md#apinotsupport".
  std::string File(std::string_view base, std::string_view anchor = "") const;
};

// --- Markdown (docs_markdown.cc) ----------------------------------------

// Inline text: Markdown punctuation backslash-escaped (raw HTML, emphasis
// and links cannot start), newlines as spaces. Safe in a table cell.
std::string Text(std::string_view s);
// A code span, with a backtick run longer than any inside. CellCode also
// escapes '|' for a table cell (GFM reads "\|" there as '|').
std::string Code(std::string_view s);
std::string CellCode(std::string_view s);
// A fenced code block of `body` with the info string `info` ("http"): the
// fence is longer than any backtick run in the body, so no content can
// close it and everything inside stays text.
std::string Fenced(std::string_view body, std::string_view info);
// GitHub's anchor of a heading whose text is `heading`: lowercase, ASCII
// punctuation but '-' and '_' removed, spaces as '-'. The HTML variant
// gives its headings the same ids (MarkdownToHtml).
std::string Slug(std::string_view heading);
// `text` (Markdown) linked to `href`; the destination is percent-escaped
// where Markdown would misread it (spaces, parentheses, angle brackets).
std::string Link(std::string_view text, std::string_view href);
// A table row: "| a | b |\n". The cells are Markdown already.
std::string Row(const std::vector<std::string>& cells);
// "| a | b |\n| --- | --- |\n".
std::string Header(const std::vector<std::string>& names);
// "400, 500"; "—" for none.
std::string StatusList(const std::vector<int>& statuses);
// "[scenarios/a.yaml:14](<prefix>scenarios/a.yaml#L14)".
std::string SourceLink(const Page& page, const std::string& file, int line);

// --- The run (docs.cc) ---------------------------------------------------

// The exchange and scenario a reference names, or nullptr when it is out
// of range (a reporter never trusts an index).
const Exchange* FindExchange(const RunResult& run, const ExchangeRef& ref);
const ScenarioResult* FindScenario(const RunResult& run, const ExchangeRef& ref);
// The scenarios of `refs`, each once, in the order of the references.
std::vector<const ScenarioResult*> ScenariosOf(const RunResult& run, const std::vector<ExchangeRef>& refs);
// The documented or undocumented pair (operation, code), or nullptr.
const CoveragePair* FindPair(const Coverage& coverage, std::string_view operation, std::string_view code);
// The undocumented pairs received from `operation`, in order.
std::vector<const CoveragePair*> UndocumentedPairs(const Coverage& coverage, std::string_view operation);
// The pairs of coverage.common with `code`, in order.
std::vector<const CoveragePair*> CommonPairs(const Coverage& coverage, std::string_view code);
// The catalogue's codes any operation may answer: gateway errors, and
// service errors no operation lists. In the contract's order.
std::vector<const ErrorSpec*> CommonErrors(const Contract& contract);
// DemonstratedPercent (coverage.h) with one decimal: "96.2".
std::string PercentText(const Coverage& coverage);
// "write", "read", "delete".
const char* KindText(OperationKind kind);
// The run's API version ("2020-04-20"; the contract's when the run names
// none), and "OnsMqtt 2020-04-20".
std::string ApiVersion(const Page& page);
std::string ApiTitle(const Page& page);
// The line under each page's title: links to the index and the matrix.
std::string Navigation(const Page& page);

// --- Sections (docs_errors.cc) -------------------------------------------

// The exchange (normalized here) as two fenced ```http blocks: the request
// as sent and the answer as received.
std::string ExchangeMarkdown(const Page& page, const Exchange& exchange);
// The "### `Code`" section of a documented code on an operation page.
std::string CodeSection(const Page& page, const OperationSpec& op, const std::string& code);
// The "### `Code` (undocumented)" section of a code the operation answered
// though the contract does not list it.
std::string DriftSection(const Page& page, const CoveragePair& pair);
std::string DriftHeading(const std::string& code);
// The index's section of a code any operation may answer.
std::string CommonSection(const Page& page, const ErrorSpec& spec);

// --- Pages -----------------------------------------------------------------

std::string IndexPage(const Page& page);                               // docs.cc
std::string OperationPage(const Page& page, const OperationSpec& op);  // docs_operation.cc
std::string CoveragePage(const Page& page);                            // docs_coverage.cc
std::string CoverageJson(const RunResult& run);                        // docs_coverage.cc

}  // namespace onsmqtt::runner::docs
