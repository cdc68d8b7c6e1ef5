#include "runner/report/docs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract.h"
#include "runner/report/docs_internal.h"
#include "runner/report/docs_test_run.h"
#include "runner/report/docs_test_util.h"

namespace onsmqtt::runner {
namespace {

using docs_test::Answer;
using docs_test::CallSpec;
using docs_test::Envelope;
using docs_test::RunVariation;
using docs_test::SignedExchange;

using docs_test::kFile;
using docs_test::kPrefix;
using docs_test::MakeRun;
using docs_test::Options;
using docs_test::Render;
using docs_test::Section;

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
