#include "runner/report/report_html.h"

#include <array>
#include <map>

#include "contract/clock.h"
#include "contract/crypto.h"
#include "runner/report/report_html_parts.h"
#include "runner/report/report_junit.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace html {

std::string Text(std::string_view text) { return runner::XmlEscape(text); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + runner::XmlEscape(value, true) + "\"";
}

std::string SourceHref(const HtmlOptions& options, std::string_view file, int line) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // "//host/x" would be a network path; POSIX reads it as "/host/x".
  while (file.size() > 1 && file[0] == '/' && file[1] == '/') file.remove_prefix(1);
  std::string out = options.source_link_prefix;
  for (char c : file) {
    unsigned char u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                 std::string_view("-._~/").find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  if (line > 0) out += "#L" + std::to_string(line);
  return out;
}

std::string SourceLink(const HtmlOptions& options, std::string_view file, int line, std::string_view text) {
  if (file.empty()) return Text(text);
  return "<a class=\"src\"" + Attr("href", SourceHref(options, file, line)) + ">" + Text(text) + "</a>";
}

std::string ScenarioId(size_t file, size_t scenario) {
  return "s-" + std::to_string(file) + "-" + std::to_string(scenario);
}

std::string ExchangeId(const ExchangeRef& ref) {
  return "x-" + std::to_string(ref.file) + "-" + std::to_string(ref.scenario) + "-" + std::to_string(ref.step) + "-" +
         std::to_string(ref.exchange);
}

std::string TagToken(std::string_view tag) {
  std::string out(tag);
  for (char& c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') c = '_';
  }
  return out;
}

std::string Badge(Verdict v) {
  return std::string("<span class=\"badge ") + VerdictName(v) + "\">" + VerdictName(v) + "</span>";
}

}  // namespace html

namespace {

using html::Attr;
using html::Text;

constexpr std::array<Verdict, 4> kVerdicts = {Verdict::kPassed, Verdict::kFailed, Verdict::kError, Verdict::kSkipped};

struct Counts {
  std::array<size_t, 4> by_verdict{};  // indexed by Verdict
  size_t total = 0;
  void Add(const FileResult& f) {
    for (const ScenarioResult& s : f.scenarios) {
      ++by_verdict[static_cast<size_t>(s.verdict)];
      ++total;
    }
  }
  // "5 scenarios: 2 passed, 1 failed, 1 error, 1 skipped"
  std::string ToString() const {
    std::string out = Plural(total, "scenario") + ":";
    for (Verdict v : kVerdicts) {
      out += (v == Verdict::kPassed ? " " : ", ") + std::to_string(by_verdict[static_cast<size_t>(v)]) + " " +
             VerdictName(v);
    }
    return out;
  }
};

Counts CountRun(const RunResult& run) {
  Counts c;
  for (const FileResult& f : run.files) c.Add(f);
  return c;
}

// 'sha256-<base64>' of `text`, the CSP source allowing exactly that inline
// element; 'none' if the hash cannot be computed (the page then works as
// without script, or unstyled).
std::string CspHash(std::string_view text) {
  StatusOr<std::string> hex = Sha256Hex(text);
  if (!hex.ok()) return "'none'";
  std::string raw;
  for (size_t i = 0; i + 1 < hex->size(); i += 2) raw += static_cast<char>(std::stoi(hex->substr(i, 2), nullptr, 16));
  return "'sha256-" + Base64Encode(raw) + "'";
}

// No network access and no other script or style than the report's own:
// an escaping mistake could not load or run anything.
void RenderHead(const RunResult& run, std::string* out) {
  const std::string csp = "default-src 'none'; style-src " + CspHash(html::kStyle) + "; script-src " +
                          CspHash(html::kScript) + "; base-uri 'none'; form-action 'none'";
  *out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  *out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  *out += "<meta http-equiv=\"Content-Security-Policy\"" + Attr("content", csp) + ">\n";
  *out += "<title>" + Text("OnsMqtt " + run.info.api_version + " conformance report: " + CountRun(run).ToString()) +
          "</title>\n";
  *out += "<style>";
  out->append(html::kStyle);
  *out += "</style>\n</head>\n<body>\n";
}

void RenderInfo(const RunResult& run, std::string* out) {
  const RunInfo& info = run.info;
  const std::pair<const char*, std::string> rows[] = {
      {"target", info.target_kind},
      {"endpoint", info.endpoint},
      {"region", info.region},
      {"API version", info.api_version},
      {"runner version", info.runner_version},
      {"host", info.hostname},
      {"seed", std::to_string(info.seed)},
      {"client", info.client},  // --client only
      {"started", FormatTimestamp(run.started)},
      {"wall time", FormatSeconds(run.seconds) + " s"},
  };
  *out += "<dl class=\"info\">\n";
  for (const auto& [name, value] : rows) {
    if (value.empty() && std::string_view(name) == "client") continue;
    *out += "<div><dt>" + Text(name) + "</dt><dd>" + Text(value) + "</dd></div>\n";
  }
  *out += "</dl>\n";
}

void RenderSummary(const RunResult& run, std::string* out) {
  const Counts c = CountRun(run);
  *out += "<header id=\"summary\">\n<h1>OnsMqtt conformance report</h1>\n";
  *out += "<p class=\"counts\"><span class=\"count total\">" + Text(Plural(c.total, "scenario")) + "</span>";
  for (Verdict v : kVerdicts) {
    *out += std::string(" <span class=\"count ") + VerdictName(v) + "\">" +
            std::to_string(c.by_verdict[static_cast<size_t>(v)]) + " " + VerdictName(v) + "</span>";
  }
  *out += "</p>\n";
  if (run.interrupted) {
    *out += "<p class=\"interrupted\">The run was interrupted: the scenarios it did not start are skipped.</p>\n";
  }
  RenderInfo(run, out);
  *out += "</header>\n";
}

// Tags of the whole run, sorted, with the number of scenarios having each.
std::map<std::string, size_t> TagCounts(const RunResult& run) {
  std::map<std::string, size_t> tags;
  for (const FileResult& f : run.files) {
    for (const ScenarioResult& s : f.scenarios) {
      for (const std::string& t : s.tags) ++tags[html::TagToken(t)];
    }
  }
  return tags;
}

// Shown by the script (hidden attribute removed): without script the
// controls would do nothing.
void RenderFilters(const RunResult& run, std::string* out) {
  const Counts c = CountRun(run);
  *out += "<nav id=\"filters\" hidden>\n<fieldset><legend>Status</legend>";
  for (Verdict v : kVerdicts) {
    *out += std::string("<label class=\"") + VerdictName(v) + "\"><input type=\"checkbox\" name=\"status\"" +
            Attr("value", VerdictName(v)) + " checked> " + VerdictName(v) + " (" +
            std::to_string(c.by_verdict[static_cast<size_t>(v)]) + ")</label>";
  }
  *out += "</fieldset>\n<label>Tag <select name=\"tag\"><option value=\"\">all tags</option>";
  for (const auto& [tag, count] : TagCounts(run)) {
    *out += "<option" + Attr("value", tag) + ">" + Text(tag) + " (" + std::to_string(count) + ")</option>";
  }
  *out += "</select></label>\n";
  *out += "<label>Name <input type=\"search\" name=\"q\" placeholder=\"part of the name\"></label>\n";
  *out += "<output id=\"shown\"></output>\n</nav>\n";
}

void RenderFile(const FileResult& f, size_t index, const RunInfo& info, const HtmlOptions& options, std::string* out) {
  Counts c;
  c.Add(f);
  *out += "<section class=\"file\"" + Attr("id", "f-" + std::to_string(index)) + ">\n";
  // A file-less result is about the run (kRunnerClassname).
  *out += "<h2>" + (f.path.empty() ? "(the run)" : html::SourceLink(options, f.path, 0, f.path)) + "</h2>\n";
  *out += "<p class=\"file-meta\">" + (f.suite.empty() ? "" : "suite <code>" + Text(f.suite) + "</code> &middot; ") +
          "started " + Text(FormatTimestamp(f.started)) + " &middot; " + FormatSeconds(f.seconds) + " s &middot; " +
          Text(c.ToString()) + "</p>\n";
  for (size_t i = 0; i < f.scenarios.size(); ++i) {
    html::RenderScenario(f.scenarios[i], ExchangeRef{index, i, 0, 0}, info, options, out);
  }
  *out += "</section>\n";
}

}  // namespace

std::string RenderHtml(const RunResult& run, const HtmlOptions& options) {
  std::string out;
  RenderHead(run, &out);
  RenderSummary(run, &out);
  html::RenderCoverage(run, options, &out);
  RenderFilters(run, &out);
  out += "<main>\n";
  for (size_t i = 0; i < run.files.size(); ++i) RenderFile(run.files[i], i, run.info, options, &out);
  if (run.files.empty()) out += "<p class=\"empty\">No scenario ran.</p>\n";
  out += "</main>\n<script>";
  out.append(html::kScript);
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace onsmqtt::runner
