#include "runner/report/docs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract.h"
#include "runner/report/docs_internal.h"
#include "runner/report/docs_test_util.h"

namespace onsmqtt::runner {
namespace {

using docs_test::Answer;
using docs_test::CallSpec;
using docs_test::Envelope;
using docs_test::RunVariation;
using docs_test::SignedExchange;

constexpr char kFile[] = "scenarios/active_device_certificate/basic.yaml";
constexpr char kPrefix[] = "../../";

// The coverage the executor would compute for MakeRun's scenarios, with
// a waiver for ApiNotSupport.
Coverage MakeCoverage() {
  Coverage c;
  c.computed = true;
  c.gate = true;
  for (const OperationSpec& op : BuiltinContract().operations) {
    for (const std::string& code : op.errors)
      c.pairs.push_back({op.name, code, CoverageState::kMissing, {}, {}, "", {}});
  }
  for (CoveragePair& p : c.pairs) {
    if (p.operation != "ActiveDeviceCertificate") continue;
    if (p.code == "MqttInstanceNotFound")
      p = {p.operation, p.code, CoverageState::kDemonstrated, {{0, 2, 0, 0}}, {500}, "", {}};
    if (p.code == "ApiNotSupport") {
      p.state = CoverageState::kWaived;
      p.waiver = "a real account has no non-Platinum instance to call";
      p.waiver_loc = {"scenarios/waivers.yaml", 3, 7};
    }
  }
  c.pairs.push_back({"ActiveDeviceCertificate",
                     "InvalidParameter.Unknown",
                     CoverageState::kUndocumented,
                     {{0, 4, 0, 0}},
                     {400},
                     "",
                     {}});
  c.common.push_back({"ActiveDeviceCertificate",
                      "SignatureDoesNotMatch",
                      CoverageState::kDemonstrated,
                      {{0, 3, 0, 0}},
                      {400},
                      "",
                      {}});
  return c;
}

// A run as the executor records it, with `v`'s timings, ids, nonces and
// times. Scenarios (file order): 0 V3 JSON success, 1 V1 XML success,
// 2 MqttInstanceNotFound, 3 SignatureDoesNotMatch (a common error),
// 4 a failing scenario that received an undocumented code.
RunResult MakeRun(const RunVariation& v, uint64_t seed = 7) {
  RunResult run;
  run.info = {"mock",        "http://127.0.0.1:" + std::to_string(v.port),
              "cn-hangzhou", "2020-04-20",
              "0.1.0",       "host-" + std::to_string(seed),
              seed,          ""};
  run.started = v.when;
  run.seconds = v.seconds * 10;
  FileResult file{kFile, "active_device_certificate", {}, v.when, v.seconds * 5};
  auto scenario = [&](const std::string& name, int line, Exchange e, Verdict verdict = Verdict::kPassed) {
    ScenarioResult s;
    s.name = name;
    s.classname = "active_device_certificate.basic";
    s.file = kFile;
    s.line = line;
    s.verdict = verdict;
    s.seconds = v.seconds;
    StepResult step;
    step.name = "call";
    step.seconds = v.seconds;
    step.exchanges.push_back(std::move(e));
    s.steps.push_back(std::move(step));
    file.scenarios.push_back(std::move(s));
  };
  Exchange ok3 = SignedExchange(CallSpec(), v);
  Answer(&ok3, 200, R"({"RequestId":"{request_id}","DeviceSn":"356217374433"})", v);
  scenario("activates a certificate (V3)", 5, ok3);
  CallSpec v1_xml;
  v1_xml.scheme = SignatureScheme::kV1;
  v1_xml.format = "XML";
  v1_xml.security_token = docs_test::kToken;
  Exchange ok1 = SignedExchange(v1_xml, v);
  Answer(&ok1, 200,
         R"(<?xml version="1.0" encoding="UTF-8"?><ActiveDeviceCertificateResponse><RequestId>{request_id})"
         R"(</RequestId><DeviceSn>356217374433</DeviceSn></ActiveDeviceCertificateResponse>)",
         v);
  scenario("activates a certificate (V1, XML)", 20, ok1);
  const ErrorSpec* nf = BuiltinContract().FindError("MqttInstanceNotFound");
  Exchange not_found = SignedExchange(CallSpec(), v);
  Answer(&not_found, 500, Envelope(nf->code, nf->message), v, nf->code, nf->message);
  scenario("an unknown instance is MqttInstanceNotFound", 40, not_found);
  CallSpec v1;
  v1.scheme = SignatureScheme::kV1;
  Exchange bad_sig = SignedExchange(v1, v);
  Answer(&bad_sig, 400, Envelope("SignatureDoesNotMatch", "Specified signature is not matched with our calculation."),
         v, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
  scenario("a wrong signature is SignatureDoesNotMatch (V1)", 60, bad_sig);
  Exchange drift = SignedExchange(CallSpec(), v);
  Answer(&drift, 400, Envelope("InvalidParameter.Unknown", "<script>alert(1)</script> ```"), v,
         "InvalidParameter.Unknown", "<script>alert(1)</script> ```");
  scenario("a code nobody documented", 80, drift, Verdict::kFailed);
  run.files.push_back(std::move(file));
  run.coverage = MakeCoverage();
  return run;
}

DocsOptions Options() {
  DocsOptions o;
  o.source_link_prefix = kPrefix;
  return o;
}

std::map<std::string, std::string> Render(const RunVariation& v = RunVariation(), uint64_t seed = 7) {
  return RenderDocs(MakeRun(v, seed), BuiltinContract(), Options());
}

// The text of the section that starts with `heading`, up to the next
// heading of that level or above.
std::string Section(const std::string& page, const std::string& heading) {
  size_t start = page.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  size_t level = heading.find(' ');
  size_t end = start + heading.size() + 2;
  for (;;) {
    end = page.find("\n#", end);
    if (end == std::string::npos) break;
    size_t hashes = page.find_first_not_of('#', end + 1) - end - 1;
    if (hashes <= level && page[end + 1 + hashes] == ' ') break;
    ++end;
  }
  return page.substr(start + 1, end == std::string::npos ? std::string::npos : end - start);
}

TEST(Docs, EveryOperationHasBothPages) {
  std::map<std::string, std::string> files = Render();
  for (const OperationSpec& op : BuiltinContract().operations) {
    ASSERT_TRUE(files.count(op.name + ".md")) << op.name;
    ASSERT_TRUE(files.count(op.name + ".html")) << op.name;
    EXPECT_EQ(files.at(op.name + ".md").rfind("# " + op.name + "\n", 0), 0u);
    EXPECT_NE(files.at("index.md").find("[" + op.name + "](" + op.name + ".md)"), std::string::npos) << op.name;
    EXPECT_NE(files.at("index.html").find("href=\"" + op.name + ".html\""), std::string::npos) << op.name;
  }
  for (const char* f : {"index.md", "index.html", "coverage.md", "coverage.html", "coverage.json"}) {
    EXPECT_TRUE(files.count(f)) << f;
  }
  EXPECT_EQ(files.size(), 2 * (BuiltinContract().operations.size() + 2) + 1);
  for (const auto& [name, text] : files) {
    if (name.size() < 5 || name.substr(name.size() - 5) != ".html") continue;
    EXPECT_EQ(text.find(".md\""), std::string::npos) << name << " links a Markdown page";
    EXPECT_EQ(text.find(".md#"), std::string::npos) << name << " links a Markdown page";
  }
  EXPECT_EQ(files.at("index.md").find(".html)"), std::string::npos);
}

TEST(Docs, OperationPageDescribesTheContract) {
  std::map<std::string, std::string> files = Render();
  const std::string& list = files.at("ListDeviceCertificate.md");
  EXPECT_NE(list.find("- Kind: read\n- SDK method: GET\n- Accepted methods: GET, POST\n"
                      "- RAM action: `mq:ListDeviceCertificate`\n"),
            std::string::npos)
      << list;
  EXPECT_NE(list.find("| `PageSize` | string | yes | — | 1–100 |"), std::string::npos) << list;
  EXPECT_NE(list.find("| `PageNo` | string | yes | — | ≥ 1 |"), std::string::npos);
  EXPECT_NE(list.find("| `Data.Total` | number |"), std::string::npos);
  EXPECT_NE(list.find("| `Data.DeviceCertificateVOS` | array |"), std::string::npos);
  EXPECT_NE(list.find("| `Data.DeviceCertificateVOS[].DeviceSn` | string |"), std::string::npos);
  EXPECT_NE(files.at("ActiveDeviceCertificate.md").find("| `CaSn` | string | yes | 128 | — |"), std::string::npos);
  EXPECT_NE(list.find("- No V1 JSON example in this run.\n"), std::string::npos) << "no success in the run";
}

TEST(Docs, SuccessExamplesOnePerSchemeAndFormat) {
  const std::string page = Render().at("ActiveDeviceCertificate.md");
  std::string v3 = Section(page, "### V3 JSON");
  ASSERT_FALSE(v3.empty()) << page;
  EXPECT_NE(v3.find("[`scenarios/active_device_certificate/basic.yaml:5`](../../" + std::string(kFile) + "#L5)"),
            std::string::npos)
      << v3;
  EXPECT_NE(v3.find("```http\nPOST /?Format=JSON&MqttInstanceId=post-cn-7mz2d0001&DeviceSn=356217374433&CaSn="
                    "0072690048 HTTP/1.1\nhost: 127.0.0.1:<port>\nx-acs-action: ActiveDeviceCertificate\n"),
            std::string::npos)
      << v3;
  EXPECT_NE(v3.find("```http\nHTTP/1.1 200 OK\nConnection: Keep-Alive\n"), std::string::npos) << v3;
  EXPECT_NE(v3.find("\n\n{\"RequestId\":\"<uuid-1>\",\"DeviceSn\":\"356217374433\"}\n```"), std::string::npos);
  std::string v1 = Section(page, "### V1 XML");
  EXPECT_NE(v1.find("<RequestId><uuid-1></RequestId>"), std::string::npos) << v1;
  EXPECT_NE(v1.find("SecurityToken=***"), std::string::npos) << v1;
  EXPECT_NE(page.find("- No V3 XML example in this run.\n- No V1 JSON example in this run.\n"), std::string::npos);
}

TEST(Docs, DemonstratedCodeShowsItsScenarioAndExchange) {
  std::string s = Section(Render().at("ActiveDeviceCertificate.md"), "### `MqttInstanceNotFound`");
  ASSERT_FALSE(s.empty());
  EXPECT_NE(s.find("- Message: `Specified instance is not found`\n"), std::string::npos) << s;
  EXPECT_NE(s.find("- Documented statuses: 500 (the reference), 400\n"), std::string::npos) << s;
  EXPECT_NE(s.find("- The mock answers: 500; 400 with the profile `adjusted`\n"), std::string::npos) << s;
  EXPECT_NE(s.find("- Coverage: **demonstrated** (statuses received: 500)\n"), std::string::npos) << s;
  EXPECT_NE(s.find("- an unknown instance is MqttInstanceNotFound — [`scenarios/active_device_certificate/"
                   "basic.yaml:40`](../../scenarios/active_device_certificate/basic.yaml#L40)\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("```http\nPOST /?Format=JSON&"), std::string::npos) << s;
  EXPECT_NE(s.find("```http\nHTTP/1.1 500 Internal Server Error\n"), std::string::npos) << s;
  EXPECT_NE(s.find("x-acs-request-id: <uuid-1>\n"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("Code":"MqttInstanceNotFound")"), std::string::npos) << s;
  EXPECT_NE(s.find("requestId=<uuid-1>"), std::string::npos) << s;
  std::string pfcf = Section(Render().at("ActiveDeviceCertificate.md"), "### `ParameterFieldCheckFailed`");
  EXPECT_NE(pfcf.find("- The mock answers: 400 when a parameter is missing or empty, 500 when it is present but "
                      "invalid; 400 with the profile `adjusted`\n- Assumption: 400 when"),
            std::string::npos)
      << pfcf;
}

TEST(Docs, MissingAndWaivedCodesSaySo) {
  const std::string page = Render().at("ActiveDeviceCertificate.md");
  std::string missing = Section(page, "### `FindDeviceBySnError`");
  EXPECT_NE(missing.find("- Coverage: **missing**: no passing scenario"), std::string::npos) << missing;
  EXPECT_EQ(missing.find("```"), std::string::npos);
  std::string waived = Section(page, "### `ApiNotSupport`");
  EXPECT_NE(waived.find("- Coverage: **waived**: a real account has no non-Platinum instance to call "
                        "([`scenarios/waivers.yaml:3`](../../scenarios/waivers.yaml#L3))"),
            std::string::npos)
      << waived;
  EXPECT_NE(waived.find("- Assumption: No public document"), std::string::npos);
  EXPECT_NE(page.find("| [`ApiNotSupport`](#apinotsupport) | 404 | waived: a real account"), std::string::npos);
  EXPECT_NE(page.find("Common errors this run received from ActiveDeviceCertificate: "
                      "[`SignatureDoesNotMatch`](index.md#signaturedoesnotmatch) (400).\n"),
            std::string::npos);
}

TEST(Docs, UndocumentedCodesAreDrift) {
  std::map<std::string, std::string> files = Render();
  std::string s = Section(files.at("ActiveDeviceCertificate.md"), "### `InvalidParameter.Unknown` (undocumented)");
  ASSERT_FALSE(s.empty());
  EXPECT_NE(s.find("**Drift**"), std::string::npos);
  EXPECT_NE(s.find("basic.yaml#L80"), std::string::npos) << "a failing scenario's exchange shows the drift";
  EXPECT_NE(files.at("coverage.md")
                .find("[⚠ undocumented](ActiveDeviceCertificate.md#invalidparameterunknown-"
                      "undocumented)"),
            std::string::npos);
  EXPECT_NE(files.at("ActiveDeviceCertificate.html").find("id=\"invalidparameterunknown-undocumented\""),
            std::string::npos);
}

TEST(Docs, IndexListsOperationsAndCommonErrors) {
  std::map<std::string, std::string> files = Render();
  const std::string& index = files.at("index.md");
  EXPECT_NE(index.find("| [ActiveDeviceCertificate](ActiveDeviceCertificate.md) | write, RAM action "
                       "`mq:ActiveDeviceCertificate` | 6 | 1 |"),
            std::string::npos)
      << index;
  EXPECT_NE(index.find("[coverage matrix](coverage.md)"), std::string::npos);
  for (const char* code : {"SignatureDoesNotMatch", "Throttling.User", "SystemOverFlow", "InternalError"}) {
    EXPECT_NE(index.find("### `" + std::string(code) + "`"), std::string::npos) << code;
  }
  EXPECT_EQ(index.find("### `ApiNotSupport`"), std::string::npos) << "listed by operations: not common";
  EXPECT_NE(index.find("`The input parameter \"{param}\" that is mandatory"), std::string::npos);
  std::string sig = Section(index, "### `SignatureDoesNotMatch`");
  EXPECT_NE(sig.find("- Demonstrated with: [ActiveDeviceCertificate](ActiveDeviceCertificate.md) (400)"),
            std::string::npos)
      << sig;
  EXPECT_NE(sig.find("basic.yaml:60`](../../scenarios/active_device_certificate/basic.yaml#L60)"), std::string::npos);
  EXPECT_NE(sig.find("HTTP/1.1 400 Bad Request"), std::string::npos) << sig;
  EXPECT_NE(sig.find("Signature=***"), std::string::npos) << sig;
  EXPECT_NE(Section(index, "### `Throttling.User`").find("- Demonstrated: not in this run"), std::string::npos);
  EXPECT_NE(index.find("the embedded mock"), std::string::npos);
  EXPECT_NE(index.find("onsmqtt-runner 0.1.0"), std::string::npos);
  EXPECT_EQ(index.find("host-7"), std::string::npos) << "no hostname";
}

TEST(Docs, NoSecretReachesAnyFile) {
  RunResult run = MakeRun(RunVariation());
  // An answer that echoes the secret, redacted as the executor does.
  Redactor redactor;
  redactor.AddSecret(docs_test::kSecret);
  Exchange& e = run.files[0].scenarios[2].steps[0].exchanges[0];
  e.body = redactor.Redact(e.body + " secret=" + docs_test::kSecret);
  for (const auto& [name, text] : RenderDocs(run, BuiltinContract(), Options())) {
    for (const std::string& hidden :
         {std::string(docs_test::kSecret), std::string(docs_test::kToken), PercentEncode(docs_test::kToken)}) {
      EXPECT_EQ(text.find(hidden), std::string::npos) << name << " shows " << hidden;
    }
    if (name == "ActiveDeviceCertificate.md") {
      EXPECT_NE(text.find("secret=***"), std::string::npos);
    }
  }
}

TEST(Docs, ByteIdenticalAcrossRuns) {
  RunVariation later;
  later.when += std::chrono::hours(49) + std::chrono::milliseconds(1234);
  later.nonce = "ffeeddccbbaa99887766554433221100";
  later.request_id = "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D";
  later.port = 45555;
  later.keep_alive_max = 3;
  later.seconds = 1.5;
  RunResult a = MakeRun(RunVariation(), 7);
  RunResult b = MakeRun(later, 1234567);
  ASSERT_NE(a.files[0].scenarios[0].steps[0].exchanges[0].curl, b.files[0].scenarios[0].steps[0].exchanges[0].curl);
  std::map<std::string, std::string> da = RenderDocs(a, BuiltinContract(), Options());
  std::map<std::string, std::string> db = RenderDocs(b, BuiltinContract(), Options());
  ASSERT_EQ(da.size(), db.size());
  for (const auto& [name, text] : da) EXPECT_EQ(text, db.at(name)) << name;
}

TEST(Docs, CoverageMatrixAndTotals) {
  const std::string page = Render().at("coverage.md");
  EXPECT_NE(page.find("- Documented pairs: 79\n- Demonstrated: 1 (1.3%)\n- Waived: 1\n- Missing: 77\n"
                      "- Undocumented codes received: 1\n"),
            std::string::npos)
      << page;
  std::string header = "| Operation | `ParameterFieldCheckFailed` | `FindDeviceBySnError` | `MqttInstanceNotFound` |";
  EXPECT_NE(page.find(header), std::string::npos) << page;
  EXPECT_NE(page.find("| [ActiveDeviceCertificate](ActiveDeviceCertificate.md) | "
                      "[✗](ActiveDeviceCertificate.md#parameterfieldcheckfailed) | "
                      "[✗](ActiveDeviceCertificate.md#finddevicebysnerror) | "
                      "[✓](ActiveDeviceCertificate.md#mqttinstancenotfound) |"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("[waived](ActiveDeviceCertificate.md#apinotsupport) (a real account"), std::string::npos);
  EXPECT_NE(page.find("| [ListDeviceCertificate](ListDeviceCertificate.md) | "
                      "[✗](ListDeviceCertificate.md#parameterfieldcheckfailed) | — |"),
            std::string::npos)
      << "not documented for the operation";
}

TEST(Docs, CoverageJsonHasTheDocumentedShape) {
  const std::string text = Render().at("coverage.json");
  ASSERT_EQ(text.back(), '\n');
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"summary", "pairs", "common"}));
  EXPECT_EQ(j.at("summary").dump(), R"({"computed":true,"gate":true,"documented":79,"demonstrated":1,"waived":1,)"
                                    R"("missing":77,"undocumented":1,"percent":1.3})");
  const auto& pairs = j.at("pairs");
  ASSERT_EQ(pairs.size(), 80u);
  EXPECT_EQ(pairs.at(0).dump(), R"({"operation":"ActiveDeviceCertificate","code":"ParameterFieldCheckFailed",)"
                                R"("state":"missing","statuses":[],"scenarios":[]})");
  EXPECT_EQ(pairs.at(2).dump(),
            R"({"operation":"ActiveDeviceCertificate","code":"MqttInstanceNotFound","state":"demonstrated",)"
            R"("statuses":[500],"scenarios":[{"name":"an unknown instance is MqttInstanceNotFound",)"
            R"("classname":"active_device_certificate.basic","file":")" +
                std::string(kFile) + R"(","line":40}]})");
  EXPECT_EQ(pairs.at(5).at("state"), "waived");
  EXPECT_EQ(pairs.at(5).at("reason"), "a real account has no non-Platinum instance to call");
  EXPECT_EQ(pairs.at(5).at("waiver_location"), "scenarios/waivers.yaml:3:7");
  EXPECT_EQ(pairs.at(79).at("state"), "undocumented");
  EXPECT_EQ(j.at("common").at(0).at("code"), "SignatureDoesNotMatch");
  EXPECT_FALSE(j.at("common").at(0).contains("state"));
  EXPECT_EQ(j.dump(2) + "\n", text) << "indent 2, key order kept";
}

TEST(Docs, WithoutCoverageThePagesSaySo) {
  RunResult run = MakeRun(RunVariation());
  run.coverage = Coverage();
  std::map<std::string, std::string> files = RenderDocs(run, BuiltinContract(), Options());
  EXPECT_NE(files.at("coverage.md").find("computed no coverage"), std::string::npos);
  EXPECT_NE(Section(files.at("ActiveDeviceCertificate.md"), "### `MqttInstanceNotFound`")
                .find("- Coverage: not computed in this run"),
            std::string::npos);
  EXPECT_NE(files.at("ActiveDeviceCertificate.md").find("### V3 JSON"), std::string::npos) << "examples still shown";
  nlohmann::json j = nlohmann::json::parse(files.at("coverage.json"));
  EXPECT_EQ(j.at("summary").at("computed"), false);
  EXPECT_TRUE(j.at("pairs").empty());
}

TEST(Docs, SuccessExamplesComeFromPassingScenariosSingleCallsFirst) {
  RunResult run = MakeRun(RunVariation());
  std::vector<ScenarioResult>& scenarios = run.files[0].scenarios;
  scenarios[0].verdict = Verdict::kFailed;  // its V3 JSON success no longer counts
  Exchange burst = scenarios[0].steps[0].exchanges[0];
  burst.burst_sample = true;
  scenarios[3].steps[0].exchanges.insert(scenarios[3].steps[0].exchanges.begin(), burst);
  scenarios[2].steps[0].exchanges.push_back(scenarios[0].steps[0].exchanges[0]);
  scenarios[2].steps[0].exchanges.back().request.query += "&Late=1";
  std::string page = RenderDocs(run, BuiltinContract(), Options()).at("ActiveDeviceCertificate.md");
  std::string v3 = Section(page, "### V3 JSON");
  EXPECT_NE(v3.find("basic.yaml#L40"), std::string::npos) << "the single call of a passing scenario: " << v3;
  EXPECT_NE(v3.find("&Late=1 HTTP/1.1"), std::string::npos) << v3;
  run.files[0].scenarios[2].steps[0].exchanges.pop_back();
  page = RenderDocs(run, BuiltinContract(), Options()).at("ActiveDeviceCertificate.md");
  EXPECT_NE(Section(page, "### V3 JSON").find("Request (one sample of a burst), as sent:"), std::string::npos);
}

TEST(DocsMarkdown, TextCodeFencesAndSlugs) {
  EXPECT_EQ(docs::Text("a_b <i>|*x*"), "a\\_b \\<i\\>\\|\\*x\\*");
  EXPECT_EQ(docs::Code("x `y` z"), "``x `y` z``");
  EXPECT_EQ(docs::Code("`"), "`` ` ``");
  EXPECT_EQ(docs::CellCode("a|b"), "`a\\|b`");
  EXPECT_EQ(docs::Fenced("a\n````\nb", "http"), "`````http\na\n````\nb\n`````\n");
  EXPECT_EQ(docs::Fenced("", "http"), "```http\n```\n");
  EXPECT_EQ(docs::Slug("InvalidAccessKeyId.NotFound (undocumented)"), "invalidaccesskeyidnotfound-undocumented");
  EXPECT_EQ(docs::Slug("V1 XML"), "v1-xml");
  EXPECT_EQ(docs::Link("t", "a b(c).yaml#L1"), "[t](a%20b%28c%29.yaml#L1)");
}

TEST(MarkdownToHtml, RendersTablesIntoACompletePage) {
  std::string html = MarkdownToHtml("# A & B\n\n| Code | Status |\n| --- | --- |\n| `X` | 400 |\n", "A & B");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", 0), 0u) << html;
  EXPECT_NE(html.find("<title>A &amp; B</title>"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<table>\n<thead>\n<tr>\n<th>Code</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td><code>X</code></td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<h1><a id=\"a--b\"></a>A &amp; B</h1>"), std::string::npos) << html;
  EXPECT_EQ(html.substr(html.size() - 16), "</body>\n</html>\n");
  for (const char* absent : {"<script", "<link", "src=", "http://", "https://"}) {
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  }
}

TEST(MarkdownToHtml, RawHtmlNeverBecomesMarkup) {
  std::string html = MarkdownToHtml(
      "<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> [x](javascript:alert(1))\n\n"
      "```http\n<script>in a block</script>\n```\n",
      "t");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;in a block&lt;/script&gt;"), std::string::npos) << html;
}

TEST(MarkdownToHtml, HeadingIdsMatchGitHubAnchors) {
  std::string html = MarkdownToHtml("### `Throttling.User`\n\n### V1 XML\n\n### V1 XML\n", "t");
  EXPECT_NE(html.find("<h3><a id=\"throttlinguser\"></a><code>Throttling.User</code></h3>"), std::string::npos) << html;
  EXPECT_NE(html.find("id=\"v1-xml\""), std::string::npos);
  EXPECT_NE(html.find("id=\"v1-xml-1\""), std::string::npos) << "repeats numbered as GitHub does";
}

TEST(Docs, RecordedMarkupStaysTextInTheHtmlPages) {
  std::map<std::string, std::string> files = Render();
  const std::string& html = files.at("ActiveDeviceCertificate.html");
  // The drift answer's Message holds "<script>" and a fence.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; ```"), std::string::npos) << "shown, as text";
  EXPECT_NE(html.find("href=\"../../scenarios/active_device_certificate/basic.yaml#L40\""), std::string::npos);
  EXPECT_NE(html.find("<a id=\"mqttinstancenotfound\"></a>"), std::string::npos);
  EXPECT_NE(files.at("coverage.html").find("href=\"ActiveDeviceCertificate.html#mqttinstancenotfound\""),
            std::string::npos);
  EXPECT_NE(files.at("index.html").find("<table>"), std::string::npos);
}

}  // namespace
}  // namespace onsmqtt::runner
