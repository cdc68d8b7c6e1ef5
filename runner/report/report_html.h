#pragma once

#include <string>

#include "runner/result/result.h"

// The HTML run report (--html FILE): one self-contained file (inline CSS
// and a small script, no network access) with the summary, then every
// scenario with its steps, each expectation beside the actual value, the
// redacted exchanges, failure details and timings. Filters by status and
// tag; each failure links to its YAML position. Formats a RunResult only,
// like the JSON report.
//
// The page works without script: every row is there, failed and errored
// scenarios open, passed and skipped ones closed. The script adds the
// filters (status, tag, part of the name) and keeps them in the URL's
// fragment, so a filtered view can be linked: `report.html#status=failed,
// error&tag=auth&q=nonce`. Rows have stable ids (`#s-<file>-<scenario>`,
// exchanges `#x-<file>-<scenario>-<step>-<exchange>`); an anchor to a
// closed row opens it. A Content-Security-Policy allows no network access
// and no style or script but the report's own (by hash): recorded text that
// escaped escaping could not load or run anything.
//
// Deterministic: the same RunResult gives the same bytes. Text is escaped
// as XmlEscape does (& < > " ', ANSI sequences stripped, control
// characters and invalid UTF-8 shown as "\x01"); nothing is added to the
// model's already redacted values, and the values the runner made up
// (Exchange::generated) are named, not repeated.
namespace onsmqtt::runner {

struct HtmlOptions {
  // How a scenario's file is linked from the report's folder: this prefix +
  // the file path as the result names it (e.g. "../" for reports/index.html
  // and scenarios/x.yaml), then "#L<line>".
  std::string source_link_prefix;
};

std::string RenderHtml(const RunResult& run, const HtmlOptions& options = {});

}  // namespace onsmqtt::runner
