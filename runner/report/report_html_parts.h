#pragma once

#include <string>
#include <string_view>

#include "runner/report/report_html.h"
#include "runner/result/result.h"

// The pieces of the HTML report (report_html*.cc), shared between its
// files. Not an API: RenderHtml is.
namespace onsmqtt::runner::html {

// Element text: & < > " ' escaped, ANSI sequences stripped, control
// characters and invalid UTF-8 shown visibly ("\x1b"), as XmlEscape does.
std::string Text(std::string_view text);

// ` name="value"`, the value escaped (TAB/LF/CR become spaces).
std::string Attr(std::string_view name, std::string_view value);

// The link to a YAML position: options.source_link_prefix, `file` with
// the bytes a URL path cannot hold percent-encoded (so that no file name
// turns the link into an absolute URL), then "#L<line>" when line > 0.
std::string SourceHref(const HtmlOptions& options, std::string_view file, int line);

// <a href=SourceHref>text</a>, or the text alone when there is no file.
std::string SourceLink(const HtmlOptions& options, std::string_view file, int line, std::string_view text);

// Element ids, stable for a given RunResult: "s-<file>-<scenario>" and
// "x-<file>-<scenario>-<step>-<exchange>".
std::string ScenarioId(size_t file, size_t scenario);
std::string ExchangeId(const ExchangeRef& ref);

// A tag as one word of data-tags and as the value of the tag filter:
// whitespace becomes '_'.
std::string TagToken(std::string_view tag);

// "passed", "failed", "error", "skipped" as a coloured badge.
std::string Badge(Verdict v);

// One scenario as a <details> row with its attempts, steps, failures and
// exchanges; `ref` names its file and index (step and exchange unused).
void RenderScenario(const ScenarioResult& s, const ExchangeRef& ref, const RunInfo& info, const HtmlOptions& options,
                    std::string* out);

// The coverage summary (nothing when the run computed none).
void RenderCoverage(const RunResult& run, const HtmlOptions& options, std::string* out);

// The inline style sheet and script, placed verbatim between <style> and
// <script> tags; the page's Content-Security-Policy allows exactly these.
extern const std::string_view kStyle;
extern const std::string_view kScript;

}  // namespace onsmqtt::runner::html
