#pragma once

#include <string>

#include "runner/result/result.h"

// The HTML run report (--html FILE): one self-contained file (inline CSS
// and a small script, no network access) with the summary, then every
// scenario with its steps, each expectation beside the actual value, the
// redacted exchanges, failure details and timings. Filters by status and
// tag; each failure links to its YAML position. Formats a RunResult only,
// like the JSON report.
namespace onsmqtt::runner {

struct HtmlOptions {
  // How a scenario's file is linked from the report's folder: this prefix +
  // the file path as the result names it (e.g. "../" for reports/index.html
  // and scenarios/x.yaml), then "#L<line>".
  std::string source_link_prefix;
};

std::string RenderHtml(const RunResult& run, const HtmlOptions& options = {});

}  // namespace onsmqtt::runner
