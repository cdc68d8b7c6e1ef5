// End to end, connect steps: scenarios/mqtt against the embedded mock (its
// MQTT listener started for them), against a separately started
// onsmqtt-mock process standing in for an endpoint with --mqtt-endpoint and
// without it; and no private key ever reaches a report.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "contract/yaml_tree.h"
#include "runner/test_child.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

namespace fs = std::filesystem;
using testing::Child;
using testing::ReadAll;
using testing::TempDir;
using testing::WriteAll;

const std::string kRunner = ONSMQTT_RUNNER_BIN;
const std::string kMock = ONSMQTT_MOCK_BIN;

using testing::Count;

struct RunnerRun {
  int exit_code;
  std::string output;
  std::string junit;
};

RunnerRun RunRunner(const TempDir& dir, std::vector<std::string> args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {kRunner, "--report-dir", dir.path(), "--json", dir.File("report.json")};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, env);
  int code = child.Wait();
  return {code, child.output(), ReadAll(dir.File("junit.xml"))};
}

// Every report of a run in `dir`, and its console output.
std::string AllArtifacts(const TempDir& dir, const std::string& output) {
  std::string all = output;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) all += ReadAll(entry.path().string());
  }
  return all;
}

// No line of any private key of the test PKI, and no PEM key block.
void ExpectNoPrivateKey(const std::string& text) {
  EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos);
  size_t keys = 0;
  for (const auto& entry : fs::directory_iterator("fixtures/pki")) {
    if (entry.path().extension() != ".key") continue;
    ++keys;
    std::string pem = ReadAll(entry.path().string());
    for (size_t start = 0, end; (end = pem.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = pem.substr(start, end - start);
      if (line.size() < 16 || line.find("-----") != std::string::npos) continue;
      EXPECT_EQ(text.find(line), std::string::npos) << "a line of " << entry.path() << " leaked: " << line;
    }
  }
  EXPECT_GT(keys, 10u);
}

size_t MqttScenarioCount() {
  Child list({kRunner, "--list", "scenarios/mqtt"});
  EXPECT_EQ(list.Wait(), 0) << list.output();
  return Count(list.output(), "\n");
}

TEST(EndToEndMqtt, TheMqttScenariosPassAgainstTheEmbeddedMock) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {"scenarios/mqtt", "--tags", "mqtt"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  size_t scenarios = MqttScenarioCount();
  EXPECT_GE(scenarios, 20u);
  EXPECT_NE(r.output.find(std::to_string(scenarios) + " scenarios: " + std::to_string(scenarios) + " passed"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u);
  EXPECT_EQ(Count(r.junit, "<error"), 0u);
  EXPECT_EQ(Count(r.junit, "<skipped"), 0u);
  // What each connect did is in the suite's system-out, the JSON and the HTML.
  EXPECT_TRUE(std::regex_search(r.junit, std::regex(R"(the inactive device is refused: CN device-a-inactive \(SN )"
                                                    R"([0-9a-f]{32}\), chain 0, MQTT 3\.1\.1, client id )"
                                                    R"(GID_onsmqtt@@@[0-9a-f]{12} -&gt; 127\.0\.0\.1:\d+ \(SNI )"
                                                    R"(localhost, TLSv1\.2\): connack 5 \(not authorized\) in )")))
      << r.junit;
  nlohmann::json report = nlohmann::json::parse(ReadAll(dir.File("report.json")));
  size_t records = 0;
  for (const auto& file : report.at("files")) {
    for (const auto& scenario : file.at("scenarios")) {
      for (const auto& step : scenario.at("steps")) {
        if (!step.contains("connect")) continue;
        ++records;
        EXPECT_EQ(step.at("exchanges").size(), 0u);
        EXPECT_EQ(step.at("connect").at("certificate_sn").get<std::string>().size(), 32u);
      }
    }
  }
  EXPECT_GT(records, 25u);
  EXPECT_NE(ReadAll(dir.File("index.html")).find("<dl class=\"connect\">"), std::string::npos);
  ExpectNoPrivateKey(AllArtifacts(dir, r.output));
}

// A key written into the scenario, a key sent (absurdly) as a parameter, a
// failing connect: the key is still nowhere, the documentation included.
TEST(EndToEndMqtt, APrivateKeyNeverReachesAReport) {
  TempDir dir;
  std::string key = ReadAll("fixtures/pki/device-a-inactive.key");
  std::string indented;
  for (size_t start = 0, end; (end = key.find('\n', start)) != std::string::npos; start = end + 1) {
    indented += "            " + key.substr(start, end - start + 1);
  }
  WriteAll(dir.File("keys.yaml"),
           "scenarios:\n"
           "  - name: a key in a request\n"
           "    steps:\n"
           "      - call: GetRegisterCode\n"
           "        params: {MqttInstanceId: \"${device.active.key}\"}\n"
           "        expect: {code: MqttInstanceNotFound}\n"
           "  - name: an inline key, refused, expected accepted\n"
           "    steps:\n"
           "      - connect:\n"
           "          certificate: ${device.inactive.pem}\n"
           "          key: |\n" +
               indented + "        expect: {connack: 0}\n");
  TempDir reports;
  RunnerRun r = RunRunner(reports, {dir.File("keys.yaml"), "--coverage", "report"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 1u) << r.junit;
  EXPECT_NE(r.junit.find("connect: expected connack 0 (accepted), got connack 5 (not authorized)"), std::string::npos)
      << r.junit;
  EXPECT_TRUE(fs::exists(reports.File("docs/GetRegisterCode.md")));
  EXPECT_NE(ReadAll(reports.File("docs/GetRegisterCode.md")).find("***"), std::string::npos);
  ExpectNoPrivateKey(AllArtifacts(reports, r.output));
}

// An onsmqtt-mock process's variables (GET /__admin/vars).
nlohmann::json VarsOf(int port) {
  httplib::SSLClient admin("localhost", port);
  admin.set_ca_cert_path("fixtures/pki/tls-ca.pem");
  admin.enable_server_certificate_verification(true);
  auto res = admin.Get("/__admin/vars");
  if (!res || res->status != 200) return nlohmann::json::object();
  return nlohmann::json::parse(res->body, nullptr, false);
}

// A vars file of them, but the owner's key (it comes from the environment).
std::string VarsFile(const nlohmann::json& vars) {
  std::string yaml;
  for (const auto& [k, v] : vars.items()) {
    if (k != "key.owner.id" && k != "key.owner.secret") yaml += nlohmann::json(k).dump() + ": " + v.dump() + "\n";
  }
  return yaml;
}

TEST(EndToEndMqtt, AnEndpointRunsConnectStepsOnlyWithMqttEndpoint) {
  Child mock({kMock, "--fixture", "fixtures/default.yaml", "--port", "0", "--tls-cert", "fixtures/pki/server.pem",
              "--tls-key", "fixtures/pki/server.key", "--mqtt-port", "0", "--quiet"});
  std::smatch api, mqtt;
  std::string banner = mock.ReadLine(), mqtt_line = mock.ReadLine();
  ASSERT_TRUE(std::regex_search(banner, api, std::regex(R"(listening on https://[^:]+:(\d+)/)"))) << banner;
  ASSERT_TRUE(std::regex_search(mqtt_line, mqtt, std::regex(R"(mqtts://[^:]+:(\d+))"))) << mqtt_line;
  nlohmann::json vars = VarsOf(std::stoi(api[1].str()));
  ASSERT_TRUE(vars.contains("key.owner.secret")) << vars.dump();
  TempDir dir;
  WriteAll(dir.File("vars.yaml"), VarsFile(vars));
  const std::vector<std::string> env = {
      "ALIBABA_CLOUD_ACCESS_KEY_ID=" + vars.at("key.owner.id").get<std::string>(),
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + vars.at("key.owner.secret").get<std::string>()};
  const std::vector<std::string> target = {
      "--target",  "https://localhost:" + api[1].str(), "--vars",        dir.File("vars.yaml"),
      "--ca-file", "fixtures/pki/tls-ca.pem",           "scenarios/mqtt"};
  const size_t mock_only = 5;  // requires: mock (refusal_forms.yaml, deleting a CA)
  TempDir without;
  RunnerRun skipped = RunRunner(without, target, env);
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_EQ(Count(skipped.junit, "<skipped message=\"no MQTT endpoint (--mqtt-endpoint)\""),
            MqttScenarioCount() - mock_only)
      << skipped.junit;
  EXPECT_EQ(Count(skipped.junit, "<skipped message=\"needs a mock target"), mock_only) << skipped.junit;
  // One scenario at a time: the shared state of an endpoint, and four
  // scenarios that register (and delete) the same new certificate.
  std::vector<std::string> with = target;
  with.insert(with.end(), {"--mqtt-endpoint", "127.0.0.1:" + mqtt[1].str(), "--allow-mutations", "-j", "1"});
  TempDir ran;
  RunnerRun r = RunRunner(ran, with, env);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<error"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<skipped "), mock_only) << "only requires: mock" << r.junit;
  // An IP address is no server name: none is sent (the mock's default instance).
  EXPECT_NE(r.junit.find("(SNI none, TLSv1.2)"), std::string::npos) << r.junit;
  ExpectNoPrivateKey(AllArtifacts(ran, r.output));
  mock.Signal(SIGTERM);
  EXPECT_EQ(mock.Wait(), 0);
}

}  // namespace
}  // namespace onsmqtt::runner
