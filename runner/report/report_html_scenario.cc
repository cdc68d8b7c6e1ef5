// The scenario rows of the HTML report: attempts, steps, failures and the
// recorded exchanges.
#include "runner/report/report_html_parts.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner::html {
namespace {

std::string Seconds(double s) { return "<span class=\"seconds\">" + FormatSeconds(s) + " s</span>"; }

// The parser drops one newline right after <pre>: this one, so that a
// text starting with a newline keeps it.
std::string Pre(std::string_view css_class, std::string_view text) {
  return "<pre" + Attr("class", css_class) + ">\n" + Text(text) + "</pre>\n";
}

std::string Headers(const HeaderList& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + ": " + value + "\n";
  return out;
}

// The request as sent; the request line alone when the exchange has no
// recorded request (results from before the whole exchange was kept).
std::string RequestText(const Exchange& e) {
  if (e.request.headers.empty() && e.request.body.empty()) return e.request_line;
  std::string out = e.request.method + " " + e.request.Target() + "\n" + Headers(e.request.headers);
  if (!e.request.body.empty()) out += "\n" + e.request.body;
  return out;
}

std::string ResponseText(const Exchange& e) {
  if (e.status == 0) return "no answer";
  std::string out = "HTTP " + std::to_string(e.status) + "\n" + Headers(e.response_headers);
  if (!e.body.empty()) out += "\n" + e.body;
  return out;
}

// "Action ActiveDeviceCertificate · signature v3 · JSON · made up by the
// runner: nonce, timestamp · burst sample"; "" when nothing is known.
std::string ExchangeMeta(const Exchange& e) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : " \xc2\xb7 ") + part; };
  if (!e.action.empty()) add("Action " + e.action);
  if (!e.scheme.empty()) add("signature " + e.scheme);
  if (!e.format.empty()) add("format " + e.format);
  if (!e.generated.empty()) {
    std::string names;
    for (const auto& [name, value] : e.generated) names += (names.empty() ? "" : ", ") + name;
    add("made up by the runner: " + names);
  }
  if (e.burst_sample) add("burst sample");
  return out;
}

void RenderExchange(const Exchange& e, const ExchangeRef& ref, std::string* out) {
  *out += "<div class=\"exchange\"" + Attr("id", ExchangeId(ref)) + ">\n<p class=\"exchange-line\"><code>" +
          Text(e.request_line) + "</code> &rarr; ";
  *out += e.status == 0 ? std::string("<span class=\"status none\">no answer</span>")
                        : "<span class=\"status s" + std::to_string(e.status / 100) + "\">" + std::to_string(e.status) +
                              "</span>";
  if (!e.code.empty()) *out += " <code class=\"code\">" + Text(e.code) + "</code>";
  if (!e.message.empty()) *out += " <span class=\"message\">" + Text(e.message) + "</span>";
  if (!e.request_id.empty()) *out += " <span class=\"request-id\">RequestId " + Text(e.request_id) + "</span>";
  *out += " " + Seconds(e.seconds) + "</p>\n";
  if (std::string meta = ExchangeMeta(e); !meta.empty()) *out += "<p class=\"exchange-meta\">" + Text(meta) + "</p>\n";
  *out += "<div class=\"http\"><div><h5>Request</h5>\n" + Pre("request", RequestText(e)) +
          "</div><div><h5>Answer</h5>\n" + Pre("response", ResponseText(e)) + "</div></div>\n";
  if (!e.curl.empty()) *out += "<h5>curl</h5>\n" + Pre("curl", e.curl);
  *out += "</div>\n";
}

void RenderFailures(const std::vector<AssertionFailure>& failures, const HtmlOptions& options, std::string* out) {
  if (failures.empty()) return;
  *out +=
      "<table class=\"failures\">\n<thead><tr><th>kind</th><th>path</th><th>expected</th><th>actual</th>"
      "<th>location</th></tr></thead>\n<tbody>\n";
  for (const AssertionFailure& f : failures) {
    *out += "<tr><td>" + Text(KindName(f.kind)) + "</td><td><code>" + Text(f.path) + "</code></td><td><code>" +
            Text(f.expected) + "</code></td><td><code>" + Text(f.actual) + "</code></td><td>" +
            SourceLink(options, f.loc.file, f.loc.line, f.loc.ToString()) + "</td></tr>\n";
  }
  *out += "</tbody>\n</table>\n";
}

// A connect step: what the device sent and how the broker answered.
void RenderConnect(const ConnectRecord& c, std::string* out) {
  const std::pair<const char*, std::string> rows[] = {
      {"server", c.server},
      {"server name (SNI)", c.server_name.empty() ? "none" : c.server_name},
      {"TLS", c.tls_version.empty() ? "no handshake" : c.tls_version},
      {"MQTT", c.handshake_only ? "none (TLS handshake only)" : c.protocol},
      {"client id", c.handshake_only ? "" : c.client_id},
      {"certificate", "SN " + c.certificate_sn + ", CN " + c.certificate_cn},
      {"chain", std::to_string(c.chain) + " after the leaf"},
      {"outcome", c.outcome},
      {"time", FormatSeconds(c.seconds) + " s (handshake " + FormatSeconds(c.handshake_seconds) + " s)"},
  };
  *out += "<dl class=\"connect\">\n";
  for (const auto& [name, value] : rows) {
    if (!value.empty()) *out += "<div><dt>" + Text(name) + "</dt><dd>" + Text(value) + "</dd></div>\n";
  }
  *out += "</dl>\n";
}

void RenderStep(const StepResult& step, const ExchangeRef& ref, const HtmlOptions& options, std::string* out) {
  *out += std::string("<section class=\"step ") + VerdictName(step.verdict) + (step.cleanup ? " cleanup" : "") +
          "\">\n<h4>" + Badge(step.verdict) + " <span class=\"name\">" + Text(step.name) + "</span>" +
          (step.cleanup ? " <span class=\"cleanup-note\">cleanup: reported, not judged</span>" : "") + " " +
          Seconds(step.seconds) + "</h4>\n";
  if (!step.error.empty()) {
    *out += "<p class=\"error\"><span class=\"kind\">" + Text(KindName(step.error_kind)) + "</span> " +
            Text(step.error) + "</p>\n";
  }
  if (!step.burst_summary.empty()) *out += "<p class=\"burst\">burst: " + Text(step.burst_summary) + "</p>\n";
  if (step.connect) RenderConnect(*step.connect, out);
  RenderFailures(step.failures, options, out);
  for (size_t i = 0; i < step.exchanges.size(); ++i) {
    RenderExchange(step.exchanges[i], ExchangeRef{ref.file, ref.scenario, ref.step, i}, out);
  }
  *out += "</section>\n";
}

void RenderAttempts(const ScenarioResult& s, std::string* out) {
  if (s.earlier_attempts.empty()) return;
  *out +=
      "<table class=\"attempts\">\n<thead><tr><th>attempt</th><th>verdict</th><th>time</th><th>message</th>"
      "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < s.earlier_attempts.size(); ++i) {
    const Attempt& a = s.earlier_attempts[i];
    *out += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + Badge(a.verdict) + "</td><td>" + Seconds(a.seconds) +
            "</td><td>" + Text(a.message);
    if (!a.detail.empty()) *out += "\n" + Pre("detail", a.detail);
    *out += "</td></tr>\n";
  }
  *out += "</tbody>\n</table>\n";
}

void MetaRow(std::string_view name, const std::string& html_value, std::string* out) {
  *out += "<div><dt>" + Text(name) + "</dt><dd>" + html_value + "</dd></div>\n";
}

void RenderScenarioMeta(const ScenarioResult& s, const RunInfo& info, const HtmlOptions& options, std::string* out) {
  if (!s.description.empty()) *out += "<p class=\"description\">" + Text(s.description) + "</p>\n";
  *out += "<dl class=\"scenario-meta\">\n";
  std::string where = s.line > 0 ? s.file + ":" + std::to_string(s.line) : s.file;
  if (!s.file.empty()) MetaRow("position", SourceLink(options, s.file, s.line, where), out);
  MetaRow("classname", "<code>" + Text(s.classname) + "</code>", out);
  if (!s.message.empty()) {
    MetaRow(s.verdict == Verdict::kSkipped ? "skip reason" : "message", Text(s.message), out);
  }
  if (std::string trace = RetryTrace(s); !trace.empty()) {
    MetaRow("attempts", Text(trace.substr(0, trace.find('\n'))), out);  // "passed on attempt 2 of 3"
  }
  if (std::string rerun = RerunCommand(info.rerun_prefix, s); !rerun.empty()) {
    MetaRow("re-run", "<code>" + Text(rerun) + "</code>", out);
  }
  *out += "</dl>\n";
}

std::string ScenarioOpenTag(const ScenarioResult& s, const ExchangeRef& ref) {
  std::string tags;
  for (const std::string& t : s.tags) tags += (tags.empty() ? "" : " ") + TagToken(t);
  const char* verdict = VerdictName(s.verdict);
  bool open = s.verdict == Verdict::kFailed || s.verdict == Verdict::kError;
  return std::string("<details class=\"scenario ") + verdict + "\"" + Attr("id", ScenarioId(ref.file, ref.scenario)) +
         Attr("data-status", verdict) + Attr("data-tags", tags) + Attr("data-name", s.classname + "." + s.name) +
         (open ? " open" : "") + ">\n";
}

}  // namespace

void RenderScenario(const ScenarioResult& s, const ExchangeRef& ref, const RunInfo& info, const HtmlOptions& options,
                    std::string* out) {
  *out += ScenarioOpenTag(s, ref);
  *out += "<summary>" + Badge(s.verdict) + " <span class=\"name\">" + Text(s.name) + "</span>";
  if (!s.tags.empty()) {
    *out += " <span class=\"tags\">";
    for (const std::string& t : s.tags) *out += "<span class=\"tag\">" + Text(t) + "</span>";
    *out += "</span>";
  }
  *out += " " + Seconds(s.seconds) + "</summary>\n<div class=\"scenario-body\">\n";
  RenderScenarioMeta(s, info, options, out);
  RenderAttempts(s, out);
  for (size_t i = 0; i < s.steps.size(); ++i) {
    RenderStep(s.steps[i], ExchangeRef{ref.file, ref.scenario, i, 0}, options, out);
  }
  *out += "</div>\n</details>\n";
}

}  // namespace onsmqtt::runner::html
