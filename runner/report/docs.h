#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/contract.h"
#include "runner/result/result.h"

// The contract's documentation by example (--docs DIR): an index, one page
// per operation, a coverage matrix and coverage.json, built from a run's
// results and the contract. Formats only: the coverage comes computed in
// RunResult::coverage. Every page is written twice: Markdown (GitHub
// renders it) and static HTML rendered from that Markdown by cmark-gfm
// (no network, no script). The output is byte-identical from one run to the
// next: recorded exchanges are normalized (NormalizeExchange), and nothing
// depends on time, host, seed or order of completion.
namespace onsmqtt::runner {

struct DocsOptions {
  // Values hidden in recorded exchanges, each replaced by "<name>": on a
  // real endpoint the account ids, instance ids and AccessKeyIds
  // ({"post-cn-abc", "instance.platinum.id"}, ...). Empty on the mock.
  std::vector<std::pair<std::string, std::string>> masks;
  // How a scenario's file is linked from DIR: this prefix + the file path
  // as the result names it (e.g. "../../" for reports/docs and
  // scenarios/x.yaml), then "#L<line>".
  std::string source_link_prefix;
};

// A copy of `e` that is the same in every run: the values the runner made
// up (Exchange::generated) become "<nonce>", "<timestamp>", ...; request
// ids and other UUIDs become "<uuid-1>", "<uuid-2>" in order of first
// appearance; ISO-8601 times "<timestamp>"; masks applied; V3's
// x-acs-content-sha256 recomputed when the body changed.
Exchange NormalizeExchange(const Exchange& e, const DocsOptions& options);

// File name (relative to DIR) -> content: index.md/.html,
// <Action>.md/.html for every operation of the contract, coverage.md/.html,
// coverage.json ({"pairs": [{"operation", "code", "state", "scenarios"}]}).
std::map<std::string, std::string> RenderDocs(const RunResult& run, const Contract& contract,
                                              const DocsOptions& options);

// GitHub-flavoured Markdown (tables) to a complete, self-contained HTML
// page with `title`, through cmark-gfm. Raw HTML in the Markdown is escaped.
std::string MarkdownToHtml(std::string_view markdown, std::string_view title);

}  // namespace onsmqtt::runner
