#include "runner/report/report_html.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "contract/crypto.h"
#include "runner/report/report_html_parts.h"
#include "runner/report/report_html_test_support.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::HtmlSampleRun;
using testing::ReadAll;
using testing::WriteAll;

const std::string kGolden = std::string(ONSMQTT_SOURCE_DIR) + "/runner/testdata/golden/report.html";

HtmlOptions Options() { return {"../"}; }

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// Where `a` and `b` first differ, as "line N:\n  golden: ...\n  actual: ...".
std::string FirstDifference(const std::string& golden, const std::string& actual) {
  std::istringstream g(golden), a(actual);
  std::string gl, al;
  for (int line = 1;; ++line) {
    bool more_g = static_cast<bool>(std::getline(g, gl));
    bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_g && !more_a) return "no line differs (line endings?)";
    if (!more_g || !more_a || gl != al) {
      return "first difference at line " + std::to_string(line) + ":\n  golden: " + (more_g ? gl : "(end)") +
             "\n  actual: " + (more_a ? al : "(end)");
    }
  }
}

// Set ONSMQTT_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate
// format change; review the diff (and the page in a browser) first.
TEST(HtmlReport, MatchesGolden) {
  const std::string actual = RenderHtml(HtmlSampleRun(), Options());
  if (std::getenv("ONSMQTT_UPDATE_GOLDEN") != nullptr) WriteAll(kGolden, actual);
  const std::string golden = ReadAll(kGolden);
  if (actual == golden) return;
  const std::string out = (std::filesystem::temp_directory_path() / "onsmqtt-report.actual.html").string();
  WriteAll(out, actual);
  ADD_FAILURE() << "the HTML report differs from " << kGolden << "\n"
                << FirstDifference(golden, actual) << "\nsee: diff -u " << kGolden << " " << out
                << "\nregenerate, after review: ONSMQTT_UPDATE_GOLDEN=1 build/runner/report/runner_report_tests "
                   "--gtest_filter=HtmlReport.MatchesGolden";
}

TEST(HtmlReport, IsDeterministic) {
  EXPECT_EQ(RenderHtml(HtmlSampleRun(), Options()), RenderHtml(HtmlSampleRun(), Options()));
}

TEST(HtmlReport, EscapesRecordedMarkup) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("note=&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), std::string::npos) << "request body";
  EXPECT_NE(html.find("&quot;Message&quot;:&quot;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &apos;quotes&apos;"),
            std::string::npos)
      << "answer body";
  EXPECT_NE(html.find("unknown &lt;DeviceSn&gt; &amp; &quot;quotes&quot;"), std::string::npos) << "scenario name";
  EXPECT_EQ(Count(html, "<script"), 1u) << "the report's own script only";
  EXPECT_EQ(Count(html, "<style"), 1u);
}

TEST(HtmlReport, ControlCharactersAndInvalidUtf8AreShownVisibly) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  EXPECT_NE(html.find("\\x01\\xff&quot;}"), std::string::npos) << "SOH shown, ANSI colour stripped, 0xff shown";
  for (char c : html) {
    unsigned char u = static_cast<unsigned char>(c);
    EXPECT_FALSE((u < 0x20 && c != '\n' && c != '\t' && c != '\r') || u == 0x7f) << "control byte " << int(u);
  }
}

TEST(HtmlReport, LoadsNothingFromAnywhere) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  const std::regex link(R"re(\s(src|href|action|srcset|poster|data)\s*=\s*"([^"]*)")re");
  size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1], value = (*it)[2];
    EXPECT_NE(name, "src") << "no element loads anything";
    EXPECT_EQ(value.find(':'), std::string::npos) << name << "=\"" << value << "\" has a scheme";
    EXPECT_NE(value.rfind("//", 0), 0u) << name << "=\"" << value << "\" is a network path";
    ++links;
  }
  EXPECT_GT(links, 5u);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &apos;none&apos;;"),
            std::string::npos);
  EXPECT_NE(html.find("cannot reach http://127.0.0.1:1"), std::string::npos) << "URLs stay as recorded text";
}

// 'sha256-<base64>' as a CSP source; mirrors what browsers compute.
std::string CspSource(std::string_view text) {
  std::string hex = *Sha256Hex(text), raw;
  for (size_t i = 0; i < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return "&apos;sha256-" + Base64Encode(raw) + "&apos;";
}

TEST(HtmlReport, ContentSecurityPolicyAllowsExactlyTheInlineStyleAndScript) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  size_t script = html.find("<script>") + 8, style = html.find("<style>") + 7;
  std::string script_text = html.substr(script, html.find("</script>", script) - script);
  std::string style_text = html.substr(style, html.find("</style>", style) - style);
  EXPECT_EQ(script_text, html::kScript);
  EXPECT_NE(html.find("style-src " + CspSource(style_text) + "; script-src " + CspSource(script_text) + ";"),
            std::string::npos);
}

TEST(HtmlReport, EveryScenarioIsAFilterableRow) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  const char* rows[] = {
      R"(<details class="scenario passed" id="s-0-0" data-status="passed" data-tags="smoke adc" )"
      R"(data-name="onsmqtt.adc.errors.activates a certificate">)",
      R"(<details class="scenario failed" id="s-0-1" data-status="failed" data-tags="adc needs_review" )"
      R"(data-name="onsmqtt.adc.errors.unknown &lt;DeviceSn&gt; &amp; &quot;quotes&quot;" open>)",
      R"(<details class="scenario skipped" id="s-1-0" data-status="skipped" data-tags="auth" )"
      R"(data-name="onsmqtt.auth.signature.stale timestamp">)",
      R"(<details class="scenario error" id="s-1-1" data-status="error" data-tags="" )"
      R"(data-name="onsmqtt.auth.signature.unreachable" open>)",
      R"(<details class="scenario passed" id="s-1-2" data-status="passed" data-tags="auth burst" )"
      R"(data-name="onsmqtt.auth.signature.flaky burst">)",
  };
  for (const char* row : rows) EXPECT_NE(html.find(row), std::string::npos) << row;
  EXPECT_EQ(Count(html, " data-status="), 5u);
  EXPECT_NE(html.find("<option value=\"needs_review\">needs_review (1)</option>"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"auth\">auth (2)</option>"), std::string::npos);
  EXPECT_NE(html.find("name=\"status\" value=\"failed\" checked> failed (1)</label>"), std::string::npos);
}

TEST(HtmlReport, FailuresLinkToTheirYamlPosition) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  EXPECT_NE(html.find("<td><a class=\"src\" href=\"../scenarios/active_device_certificate/errors.yaml#L27\">"
                      "scenarios/active_device_certificate/errors.yaml:27:13</a></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>code</td><td><code>$.Code</code></td><td><code>&quot;FindDeviceBySnError&quot;"
                      "</code></td><td><code>&quot;InvalidDeviceSn&quot;</code></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<a class=\"src\" href=\"../scenarios/auth/signature.yaml#L30\">"
                      "scenarios/auth/signature.yaml:30</a>"),
            std::string::npos)
      << "the scenario's own position";
}

TEST(HtmlReport, RedactedValuesStayRedacted) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  EXPECT_NE(html.find("SignedHeaders=host;x-acs-action;x-acs-date,Signature=***\n"), std::string::npos)
      << "the Authorization header as recorded";
  EXPECT_NE(html.find("/?Action=QueryDevice&amp;Signature=***&apos;</pre>"), std::string::npos) << "the curl";
  EXPECT_EQ(Count(html, "Signature=***"), Count(html, "Signature="));
  EXPECT_EQ(html.find("3f1c9a0e5b7d4e2f</"), std::string::npos) << "generated values are named, not repeated";
}

TEST(HtmlReport, ShowsTheSummaryCoverageAndAttempts) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  EXPECT_NE(html.find("<title>OnsMqtt 2020-04-20 conformance report: 5 scenarios: 2 passed, 1 failed, 1 error, 1 "
                      "skipped</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>started</dt><dd>2026-11-18T11:06:40Z</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>seed</dt><dd>42</dd>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"missing\"><td>missing</td><td>ActiveDeviceCertificate</td><td><code>"
                      "FindDeviceBySnError</code></td>"),
            std::string::npos);
  EXPECT_NE(html.find("seen in <a href=\"#x-1-2-0-0\">flaky burst</a>"), std::string::npos);
  EXPECT_NE(html.find(" id=\"x-1-2-0-0\""), std::string::npos) << "the link's target";
  EXPECT_NE(html.find("<dt>attempts</dt><dd>passed on attempt 2 of 3</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>skip reason</dt><dd>needs a mock target: the nonce cache is the mock&apos;s</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("<dt>re-run</dt><dd><code>build/runner/onsmqtt-runner scenarios/auth/signature.yaml --filter "),
            std::string::npos);
}

TEST(HtmlReport, ElementsAreBalanced) {
  const std::string html = RenderHtml(HtmlSampleRun(), Options());
  for (const char* tag : {"details", "section", "table", "pre", "dl", "summary", "a", "code"}) {
    EXPECT_EQ(Count(html, std::string("<") + tag + ">") + Count(html, std::string("<") + tag + " "),
              Count(html, std::string("</") + tag + ">"))
        << tag;
  }
}

TEST(HtmlReport, EmptyRun) {
  RunResult run;
  const std::string html = RenderHtml(run);
  EXPECT_NE(html.find("<p class=\"empty\">No scenario ran.</p>"), std::string::npos);
  EXPECT_EQ(html.find("id=\"coverage\""), std::string::npos) << "no coverage computed";
  EXPECT_NE(html.find("</html>\n"), std::string::npos);
}

TEST(HtmlReport, InterruptedRunSaysSoAndShowsTheRunnersRow) {
  RunResult run = HtmlSampleRun();
  run.interrupted = true;
  ScenarioResult stop;
  stop.name = "run interrupted";
  stop.classname = kRunnerClassname;
  stop.verdict = Verdict::kError;
  stop.message = "interrupted by SIGTERM: 1 of 6 selected scenarios did not run";
  run.files.push_back({"", "", {stop}, {}, 0});
  const std::string html = RenderHtml(run, Options());
  EXPECT_NE(html.find("<p class=\"interrupted\">The run was interrupted"), std::string::npos);
  EXPECT_NE(
      html.find(R"(id="s-2-0" data-status="error" data-tags="" data-name="onsmqtt.runner.run interrupted" open>)"),
      std::string::npos);
  EXPECT_EQ(html.find("<dt>position</dt>", html.find("id=\"s-2-0\"")), std::string::npos) << "no file, no link";
  EXPECT_EQ(html.find("href=\"../#"), std::string::npos);
  EXPECT_NE(html.find("<h2>(the run)</h2>\n<p class=\"file-meta\">started "), std::string::npos);
}

TEST(HtmlReport, FileNamesCannotMakeLinksAbsolute) {
  HtmlOptions none;
  EXPECT_EQ(html::SourceHref(none, "http://evil.example/x y#.yaml", 3), "http%3A//evil.example/x%20y%23.yaml#L3");
  EXPECT_EQ(html::SourceHref(none, "//evil.example/x.yaml", 0), "/evil.example/x.yaml");
  EXPECT_EQ(html::SourceHref(Options(), "scenarios/caf\xc3\xa9.yaml", 1), "../scenarios/caf%C3%A9.yaml#L1");
}

TEST(HtmlReport, TwoHundredScenariosWithBodiesStaySmall) {
  RunResult run = HtmlSampleRun();
  FileResult big = run.files[0];
  big.scenarios.clear();
  for (int i = 0; i < 200; ++i) {
    ScenarioResult s = run.files[0].scenarios[1];
    s.name = "scenario " + std::to_string(i);
    s.steps[0].exchanges[0].body = std::string(4096, 'x');
    s.steps[0].exchanges[0].request.body = std::string(1024, 'y');
    big.scenarios.push_back(s);
  }
  run.files = {big};
  const std::string html = RenderHtml(run, Options());
  EXPECT_LT(html.size(), 3u * 1024 * 1024) << html.size();
  EXPECT_EQ(Count(html, " data-status="), 200u);
}

}  // namespace
}  // namespace onsmqtt::runner
