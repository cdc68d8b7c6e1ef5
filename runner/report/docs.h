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
  // Values hidden in recorded exchanges, each {value, name}, the value
  // replaced by "<name>" (raw and percent-encoded): on a real endpoint the
  // account ids, instance ids and AccessKeyIds ({"post-cn-abc",
  // "instance.platinum.id"}, ...). Empty on the mock.
  std::vector<std::pair<std::string, std::string>> masks;
  // How a scenario's file is linked from DIR: this prefix + the file path
  // as the result names it (e.g. "../../" for reports/docs and
  // scenarios/x.yaml), then "#L<line>".
  std::string source_link_prefix;
};

// A copy of `e` that is the same in every run. Replaced everywhere in the
// exchange (request and answer, headers and bodies, and the derived
// request_line, curl, request_id, body and message), raw and
// percent-encoded:
//   - the values the runner made up (Exchange::generated, {name, value})
//     by "<name>"; V1's Timestamp and SignatureNonce parameters and V3's
//     x-acs-date and x-acs-signature-nonce headers by "<timestamp>" and
//     "<nonce>" even when not listed there; the masks by "<name>";
//   - the port of a loopback Host (the embedded mock's port 0, read back):
//     "127.0.0.1:<port>";
//   - UUIDs with no letter or digit on either side (request ids): by
//     "<uuid-1>", "<uuid-2>", ... in order of first appearance, case
//     ignored; ISO-8601 UTC times ("2026-12-02T06:40:30Z", also with %3A
//     and fractions) by "<timestamp>".
// The answer's Date header becomes "<date>" and Keep-Alive's max "<n>".
// When the request body changed, V3's x-acs-content-sha256 (which would
// no longer match it) becomes "<sha256 of the body>". Values shorter than
// 4 bytes (but masks) are kept: a scenario's deliberately malformed "x" is
// the same in every run. Redacted text ("***") stays as it is. seconds
// becomes 0, and each generated value its placeholder.
Exchange NormalizeExchange(const Exchange& e, const DocsOptions& options);

// File name (relative to DIR) -> content: index.md/.html,
// <Action>.md/.html for every operation of the contract, coverage.md/.html
// and coverage.json, in this shape (keys in this order, indent 2, a final
// newline):
//   {"summary": {"computed", "gate", "documented", "demonstrated", "waived",
//                "missing", "undocumented", "percent"},
//    "pairs": [{"operation", "code", "state", "statuses", "scenarios",
//               "reason"?, "waiver_location"?}],
//    "common": [{"operation", "code", "statuses", "scenarios"}]}
// with state "demonstrated" | "missing" | "waived" | "undocumented",
// statuses the HTTP statuses received, scenarios [{"name", "classname",
// "file", "line"}] in file order, reason and waiver_location for waived
// pairs, percent the demonstrated share of documented pairs (one decimal).
// Pages link scenarios as source_link_prefix + file + "#L" + line; .md
// pages link .md pages, .html pages .html ones.
std::map<std::string, std::string> RenderDocs(const RunResult& run, const Contract& contract,
                                              const DocsOptions& options);

// GitHub-flavoured Markdown (tables) to a complete, self-contained HTML
// page with `title`, through cmark-gfm. Raw HTML in the Markdown is escaped.
std::string MarkdownToHtml(std::string_view markdown, std::string_view title);

}  // namespace onsmqtt::runner
