#include "runner/report/report_html.h"

// Placeholder until the HTML report lands (branch h-html).
namespace onsmqtt::runner {
std::string RenderHtml(const RunResult&, const HtmlOptions&) { return "<!DOCTYPE html>\n"; }
}  // namespace onsmqtt::runner
