// End-to-end tests of the onsmqtt-runner binary: every scenario against the
// embedded mock, the deliberately failing and broken test data, an
// unreachable target, Ctrl-C, and the scenarios against a separately
// started onsmqtt-mock process over HTTPS standing in for a real endpoint.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "contract/yaml_tree.h"
#include "runner/test_child.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::Child;
using testing::ReadAll;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteAll;

const std::string kRunner = ONSMQTT_RUNNER_BIN;
const std::string kMock = ONSMQTT_MOCK_BIN;
const std::string kSchemas = "runner/testdata/schemas/";

struct RunnerRun {
  int exit_code;
  std::string output;
  std::string junit;
};

// Sanitizer builds are several times slower: a burst cannot reach the rate
// its scenario needs (min_rate) and is, rightly, a harness error there. Those
// builds leave bursts out of the full runs; the mock's own throttle tests
// (injected clock) cover the limit under every sanitizer.
#ifdef ONSMQTT_SANITIZED
const std::vector<std::string> kBuildFilter = {"--filter", "^(?!.*(throttling[.]yaml|[.]a burst of))"};
#else
const std::vector<std::string> kBuildFilter = {};
#endif

RunnerRun RunRunner(const TempDir& dir, std::vector<std::string> args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {kRunner, "--report-dir", dir.path(), "--json", dir.File("report.json")};
  argv.insert(argv.end(), kBuildFilter.begin(), kBuildFilter.end());
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, env);
  int code = child.Wait();
  return {code, child.output(), ReadAll(dir.File("junit.xml"))};
}

using testing::Count;

void ExpectValidJUnit(const TempDir& dir) {
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "junit-10.xsd"), "");
}

// Every access key secret of the default fixture, and every temporary
// credential's secret and security token.
std::vector<std::string> FixtureSecrets() {
  std::vector<std::string> out;
  auto root = yaml::ParseFile("fixtures/default.yaml");
  if (!root.ok()) return out;
  for (const char* section : {"access_keys", "temporary_credentials"}) {
    const yaml::Node* keys = root->Find(section);
    EXPECT_NE(keys, nullptr) << section;
    if (keys == nullptr) continue;
    for (const auto& [name, key] : keys->entries) {
      for (const char* field : {"secret", "token"}) {
        if (const yaml::Node* secret = key.Find(field)) out.push_back(secret->scalar);
      }
    }
  }
  EXPECT_EQ(out.size(), 5u + 2 * 3);
  return out;
}

void ExpectNoSecrets(const std::string& text) {
  std::vector<std::string> secrets = FixtureSecrets();
  ASSERT_FALSE(secrets.empty());
  for (const std::string& s : secrets) EXPECT_EQ(text.find(s), std::string::npos) << "secret " << s << " leaked";
}

int ScenarioCount() {
  std::vector<std::string> argv = {kRunner, "--list"};
  argv.insert(argv.end(), kBuildFilter.begin(), kBuildFilter.end());
  Child list(argv);
  EXPECT_EQ(list.Wait(), 0) << list.output();
  return static_cast<int>(Count(list.output(), "\n"));
}

TEST(EndToEnd, EveryScenarioPassesAgainstTheEmbeddedMock) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  int scenarios = ScenarioCount();
  EXPECT_GT(scenarios, 20);
  // One testcase per scenario, and one per documented (operation, code)
  // pair in the contract.coverage suite: a full run gates on coverage.
  size_t coverage_cases = Count(r.junit, "<testcase classname=\"onsmqtt.contract.coverage\"");
  EXPECT_EQ(coverage_cases, 79u) << r.output;
  EXPECT_EQ(static_cast<int>(Count(r.junit, "<testcase ") - coverage_cases), scenarios);
  EXPECT_NE(r.output.find("coverage: 79 of 79 documented (operation, code) pairs demonstrated (100.0%)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u);
  EXPECT_EQ(Count(r.junit, "<error"), 0u);
  EXPECT_EQ(Count(r.junit, "<skipped"), 0u);
  EXPECT_NE(r.output.find(std::to_string(scenarios) + " scenarios: " + std::to_string(scenarios) + " passed"),
            std::string::npos)
      << r.output;
  ExpectValidJUnit(dir);
  ExpectNoSecrets(r.output + r.junit + ReadAll(dir.File("report.json")));
}

TEST(EndToEnd, ResultsDoNotDependOnJobsOrOrder) {
  TempDir one, many;
  RunnerRun serial = RunRunner(one, {"-j", "1", "--seed", "1"});
  RunnerRun parallel = RunRunner(many, {"-j", "8", "--seed", "2"});
  EXPECT_EQ(serial.exit_code, 0) << serial.output;
  EXPECT_EQ(parallel.exit_code, 0) << parallel.output;
  std::regex time_or_seed(R"((time|timestamp|value)="[^"]*")");
  std::regex out_times(R"(\(\d+\.\d+ s\)|in \d+\.\d+ s \(\d+ calls/s\)|in \d+\.\d+ s(?=\n))");
  // What differs between two connects of a device: the mock's port, the
  // generated client id.
  std::regex connect_ids(R"(127\.0\.0\.1:\d+|@@@[0-9a-f]{12})");
  auto normal = [&](const std::string& xml) {
    std::string out = std::regex_replace(xml, time_or_seed, "");
    out = std::regex_replace(out, out_times, "");
    return std::regex_replace(out, connect_ids, "");
  };
  EXPECT_EQ(normal(serial.junit), normal(parallel.junit));
}

TEST(EndToEnd, FailingScenariosAreReportedAsFailuresWithTheirPositions) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {"--junit-flavour", "extended", "runner/testdata/failing"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure "), 7u) << r.junit;
  EXPECT_EQ(Count(r.junit, "<error "), 0u);
  const std::string file = "runner/testdata/failing/wrong_expectations.yaml";
  for (const std::string& line : {
           "  status: expected 201, got 200 (" + file + ":14:19)",
           "  $.Data.Status: expected &quot;0&quot;, got &quot;1&quot; (" + file + ":25:13)",
           "  $.Data.Status: expected 1, got &quot;1&quot; (" + file + ":36:13)",
           "  $.Data.Sn: expected present, got absent (" + file + ":47:13)",

           "  success: expected at most 10, got 20 (" + file + ":91:22)",
       }) {
    EXPECT_NE(r.junit.find(line), std::string::npos) << line;
  }
  // An unexpected error answer is named by its Code and Message.
  EXPECT_TRUE(std::regex_search(r.junit, std::regex("step &quot;fails&quot;:\n  status: expected 200, got 400 "
                                                    "\\(ParameterFieldCheckFailed: [^)]+\\) \\(" +
                                                    file + ":77:19\\)")))
      << r.junit;
  // Four failed assertions of one step in one <failure>, with the request.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.junit, m,
                                std::regex("<failure message=\"step &quot;1: ActiveDeviceCertificate&quot;: "
                                           "status: expected 404, got 500[^\"]*\\(and 3 more\\)\" "
                                           "type=\"status\">([^<]*)</failure>")))
      << r.junit;
  std::string body = m[1];
  EXPECT_EQ(Count(body, "(" + file + ":"), 4u) << body;
  EXPECT_NE(body.find("  request: POST /?MqttInstanceId=post-cn-doesnotexist&amp;"), std::string::npos) << body;
  EXPECT_TRUE(
      std::regex_search(body, std::regex("  status: 500, RequestId: [0-9A-F-]{36}, Code: MqttInstanceNotFound")))
      << body;
  // The extended flavour points at the scenario.
  EXPECT_NE(r.junit.find("name=\"wrong expected status\" time=\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      r.junit, std::regex("name=\"wrong expected status\" time=\"[0-9.]+\" file=\"" + file + "\" line=\"6\"")));
  // The console shows the diff and a redacted curl.
  EXPECT_NE(r.output.find("            expected: 201\n            actual:   200\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("request (not replayable: signature redacted, nonce and timestamp already used):\n"
                          "            curl "),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("Signature=***"), std::string::npos);
  ExpectNoSecrets(r.output + r.junit + ReadAll(dir.File("report.json")));
}

// The re-run command printed under a failure runs that scenario alone.
TEST(EndToEnd, PrintedReRunCommandRunsExactlyThatScenario) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {"runner/testdata/failing"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m,
                                std::regex("re-run: (" + kRunner +
                                           " runner/testdata/failing/wrong_expectations.yaml "
                                           "--filter '[^']*wrong expected status\\$')\n")))
      << r.output;
  TempDir again;
  testing::CommandResult rerun = testing::RunCommand(m[1].str() + " --report-dir " + again.path());
  EXPECT_EQ(rerun.exit_code, 1) << rerun.output;
  std::string junit = ReadAll(again.File("junit.xml"));
  EXPECT_EQ(Count(junit, "<testcase "), 1u) << junit;
  EXPECT_NE(junit.find("name=\"wrong expected status\""), std::string::npos) << junit;
  EXPECT_NE(rerun.output.find("1 scenario: 0 passed, 1 failed"), std::string::npos) << rerun.output;
}

TEST(EndToEnd, BrokenScenariosAreUsageErrorsAndNothingRuns) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {"runner/testdata/broken"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("runner/testdata/broken/unknown_key.yaml:7:11: error: unknown key \"stauts\""),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("^"), std::string::npos) << "diagnostics carry a caret";
  EXPECT_NE(r.output.find("nothing was run"), std::string::npos);
  // The report says why nothing ran (no stale report from an earlier run).
  EXPECT_EQ(Count(r.junit, "<testcase "), Count(r.junit, "<error message=")) << r.junit;
  EXPECT_NE(r.junit.find("type=\"scenario\">step &quot;load&quot;:\n  error: scenario error: "
                         "runner/testdata/broken/unknown_key.yaml:7:11: unknown key"),
            std::string::npos)
      << r.junit;
  ExpectValidJUnit(dir);
  Child check({kRunner, "--check", "runner/testdata/broken/several_errors.yaml"});
  EXPECT_EQ(check.Wait(), 2);
  EXPECT_EQ(Count(check.output(), ": error: "), 3u) << check.output();
  Child ok({kRunner, "--check"});
  EXPECT_EQ(ok.Wait(), 0) << ok.output();
}

TEST(EndToEnd, UsageErrorsAndEmptySelectionsReplaceAnEarlierGreenReport) {
  TempDir dir;
  RunnerRun green = RunRunner(dir, {"runner/testdata/failing/skipped.yaml"});
  ASSERT_EQ(green.exit_code, 0) << green.output;
  RunnerRun usage = RunRunner(dir, {"--jobs", "0"});
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
  EXPECT_NE(usage.junit.find("<error message=\"usage error: --jobs must be between 1 and 256"), std::string::npos)
      << usage.junit;
  EXPECT_NE(ReadAll(dir.File("report.json")).find("usage error"), std::string::npos);
  ExpectValidJUnit(dir);
  RunnerRun nothing = RunRunner(dir, {"--tags", "nosuchtag"});
  EXPECT_EQ(nothing.exit_code, 4) << nothing.output;
  EXPECT_NE(nothing.junit.find("type=\"selection\""), std::string::npos) << nothing.junit;
  ExpectValidJUnit(dir);
  RunnerRun allowed = RunRunner(dir, {"--tags", "nosuchtag", "--allow-empty"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
}

TEST(EndToEnd, UsageErrorsExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--jobs", "0"},
                                        {"--no-such-flag"},
                                        {"--target", "ftp://x"},
                                        {"--fixture", "does/not/exist.yaml"}}) {
    args.insert(args.begin(), kRunner);
    Child c(args);
    EXPECT_EQ(c.Wait(), 2) << args[1] << ": " << c.output();
    EXPECT_NE(c.output().find("error"), std::string::npos) << c.output();
  }
}

TEST(EndToEnd, UnreachableTargetExitsThreeAndStillWritesTheReport) {
  TempDir dir;
  WriteAll(dir.File("vars.yaml"),
           "region: cn-hangzhou\ninstance.platinum.id: post-cn-x\ndevice.active.sn: aa\ndevice.active.ca_sn: bb\n");
  RunnerRun r = RunRunner(dir,
                          {"--target", "http://127.0.0.1:" + std::to_string(testing::ClosedPort()), "--vars",
                           dir.File("vars.yaml"), "runner/testdata/failing/transport_error.yaml"},
                          {"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIe2e", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=e2eSecretValue123"});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_EQ(Count(r.junit, "<error message=\"step "), 1u) << r.junit;
  EXPECT_NE(r.junit.find("type=\"transport\""), std::string::npos);
  EXPECT_NE(r.junit.find("<property name=\"target\" value=\"endpoint\"/>"), std::string::npos);
  EXPECT_EQ(r.output.find("e2eSecretValue123"), std::string::npos);
  EXPECT_EQ(r.junit.find("e2eSecretValue123"), std::string::npos);
  ExpectValidJUnit(dir);
}

TEST(EndToEnd, InterruptStopsAndStillWritesTheReport) {
  TempDir dir;
  Child child({kRunner, "--report-dir", dir.path(), "-j", "1", "--no-color"});
  // Wait for the first finished scenario: the run is under way.
  std::string line;
  while (!(line = child.ReadLine()).empty() && line.find("  PASS ") == std::string::npos) {
  }
  ASSERT_FALSE(line.empty()) << child.output();
  child.Signal(SIGTERM);
  EXPECT_EQ(child.Wait(), 3) << child.output();
  std::string junit = ReadAll(dir.File("junit.xml"));
  EXPECT_NE(junit.find("not run: the run was interrupted"), std::string::npos);
  EXPECT_NE(child.output().find("interrupted"), std::string::npos);
  // Skips alone would be green to every consumer: the interruption is an
  // <error> of its own, and the counts say so. A scenario caught mid-step
  // (a burst, depending on the shuffled order) is an interrupted error too.
  EXPECT_GE(Count(junit, "<error "), 1u) << junit;
  EXPECT_EQ(Count(junit, "<error "), Count(junit, "type=\"interrupted\">")) << junit;
  EXPECT_NE(junit.find("<testcase classname=\"onsmqtt.runner\" name=\"run interrupted\""), std::string::npos);
  EXPECT_NE(junit.find("<error message=\"interrupted by SIGTERM: "), std::string::npos) << junit;
  EXPECT_EQ(testing::JUnitCountErrors(junit), "");
  ExpectValidJUnit(dir);
}

// A separately started onsmqtt-mock process over HTTPS stands in for a
// real endpoint: credentials from the environment, everything else from a
// vars file generated from GET /__admin/vars.
TEST(EndToEnd, MockProcessOverHttpsAsAnEndpoint) {
  if (kMock.empty()) GTEST_SKIP() << "onsmqtt-mock is not built";
  Child mock({kMock, "--fixture", "fixtures/default.yaml", "--port", "0", "--tls-cert", "fixtures/pki/server.pem",
              "--tls-key", "fixtures/pki/server.key", "--quiet"});
  std::string banner = mock.ReadLine();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(banner, m, std::regex(R"(listening on https://[^:]+:(\d+)/)"))) << banner;
  std::string port = m[1];
  httplib::SSLClient admin("localhost", std::stoi(port));
  admin.set_ca_cert_path("fixtures/pki/tls-ca.pem");
  admin.enable_server_certificate_verification(true);
  auto res = admin.Get("/__admin/vars");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  nlohmann::json vars = nlohmann::json::parse(res->body);
  std::string yaml;
  for (const auto& [k, v] : vars.items()) {
    if (k == "key.owner.id" || k == "key.owner.secret") continue;  // from the environment
    yaml += nlohmann::json(k).dump() + ": " + v.dump() + "\n";
  }
  TempDir dir;
  WriteAll(dir.File("vars.yaml"), yaml);
  RunnerRun r = RunRunner(dir,
                          {"--target", "https://localhost:" + port, "--vars", dir.File("vars.yaml"), "--ca-file",
                           "fixtures/pki/tls-ca.pem", "-j", "4"},
                          {"ALIBABA_CLOUD_ACCESS_KEY_ID=" + vars.at("key.owner.id").get<std::string>(),
                           "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + vars.at("key.owner.secret").get<std::string>()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<error"), 0u) << r.output;
  EXPECT_GT(Count(r.junit, "<skipped message=\"needs a mock target"), 0u);
  EXPECT_GT(Count(r.junit, "<skipped message=\"changes state on the target"), 0u);
  size_t passed = Count(r.junit, "<testcase ") - Count(r.junit, "<skipped ");
  EXPECT_GT(passed, 5u) << "scenarios that an endpoint can run do run";
  EXPECT_NE(r.junit.find("<property name=\"endpoint\" value=\"https://localhost:" + port + "\"/>"), std::string::npos);
  ExpectValidJUnit(dir);
  ExpectNoSecrets(r.output + r.junit + ReadAll(dir.File("report.json")));
  // The documentation of an endpoint run masks the account's ids.
  const std::string instance = vars.at("instance.platinum.id"), key = vars.at("key.owner.id");
  std::string docs = ReadAll(dir.File("docs/GetRegisterCode.md"));
  EXPECT_NE(docs.find("<instance.platinum.id>"), std::string::npos) << docs;
  for (const char* page :
       {"GetRegisterCode.md", "GetRegisterCode.html", "ActiveDeviceCertificate.md", "index.md", "coverage.json"}) {
    std::string text = ReadAll(dir.File(std::string("docs/") + page));
    EXPECT_FALSE(text.empty()) << page;
    EXPECT_EQ(text.find(instance), std::string::npos) << page;
    EXPECT_EQ(text.find(key), std::string::npos) << page;
  }
  mock.Signal(SIGTERM);
  EXPECT_EQ(mock.Wait(), 0);
}

}  // namespace
}  // namespace onsmqtt::runner
