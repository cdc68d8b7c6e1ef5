// End-to-end tests, through the onsmqtt-runner and onsmqtt-mock binaries, of
// documented features: a file's own fixture beside the run's, a fixture's
// default_region, ${var} in regex:, XML lists, skipping what an endpoint's
// vars file lacks, and both programs' command lines.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "contract/yaml_tree.h"
#include "runner/test_child.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

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
  std::vector<std::string> argv = {kRunner, "--report-dir", dir.path(), "--no-color"};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, env);
  int code = child.Wait();
  return {code, child.output(), ReadAll(dir.File("junit.xml"))};
}

TEST(Features, FilesWithTheirOwnFixturesShareARunWithTheRunsFixture) {
  TempDir dir;
  RunnerRun r = RunRunner(dir, {"runner/testdata/features", "scenarios/lifecycle/device_lifecycle.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<error"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<skipped"), 0u) << r.output;
  EXPECT_NE(r.junit.find("name=\"the file&apos;s fixture defines the variables its scenarios use\""), std::string::npos)
      << r.junit;
  EXPECT_NE(r.output.find("PASS"), std::string::npos);
  EXPECT_EQ(r.output.find("undefined variable"), std::string::npos) << r.output;
}

TEST(Features, AFileUsingAnotherFixturesVariableIsStillALoadError) {
  TempDir dir;
  WriteAll(dir.File("wrong.yaml"),
           "scenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n"
           "        params: {MqttInstanceId: \"${instance.plat.id}\"}\n");
  Child c({kRunner, "--check", "runner/testdata/features", dir.File("wrong.yaml")});
  EXPECT_EQ(c.Wait(), 2) << c.output();
  EXPECT_NE(c.output().find(dir.File("wrong.yaml") + ":5:35: error: undefined variable ${instance.plat.id}"),
            std::string::npos)
      << c.output();
  EXPECT_EQ(Count(c.output(), ": error: "), 1u) << c.output();
}

// The names of a vars file, flattened with '.' (vars.example.yaml's shape).
void FlattenNames(const yaml::Node& node, const std::string& prefix, std::vector<std::string>* out) {
  if (!node.is_map()) {
    out->push_back(prefix);
    return;
  }
  for (const auto& [key, value] : node.entries) {
    FlattenNames(value, prefix.empty() ? key.scalar : prefix + "." + key.scalar, out);
  }
}

// A separately started onsmqtt-mock process (plain HTTP) as the endpoint.
class MockEndpoint {
 public:
  MockEndpoint() : mock_({kMock, "--fixture", "fixtures/default.yaml", "--port", "0", "--quiet"}) {
    std::smatch m;
    std::string banner = mock_.ReadLine();
    if (std::regex_search(banner, m, std::regex(R"(listening on http://[^:]+:(\d+)/)"))) port_ = m[1];
    EXPECT_FALSE(port_.empty()) << banner;
    httplib::Client admin("127.0.0.1", port_.empty() ? 1 : std::stoi(port_));
    auto res = admin.Get("/__admin/vars");
    if (res && res->status == 200) vars_ = nlohmann::json::parse(res->body);
    EXPECT_TRUE(vars_.is_object());
  }
  ~MockEndpoint() { mock_.Signal(SIGTERM); }

  std::string url() const { return "http://127.0.0.1:" + port_; }
  std::string Var(const std::string& name) const { return vars_.value(name, ""); }
  std::vector<std::string> Credentials() const {
    return {"ALIBABA_CLOUD_ACCESS_KEY_ID=" + Var("key.owner.id"),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + Var("key.owner.secret")};
  }
  // A vars file with the names runner/testdata/vars.example.yaml lists and
  // the mock's values; the example's ${env.*} keys are left out, and so is
  // every file.* PEM text.
  std::string WriteExampleVars(const TempDir& dir) const {
    StatusOr<yaml::Node> example = yaml::ParseFile("runner/testdata/vars.example.yaml");
    EXPECT_TRUE(example.ok()) << example.status().ToString();
    std::vector<std::string> names;
    if (example.ok()) FlattenNames(*example, "", &names);
    std::string text;
    for (const std::string& name : names) {
      if (name.rfind("key.", 0) == 0 || !vars_.contains(name)) continue;
      text += nlohmann::json(name).dump() + ": " + vars_.at(name).dump() + "\n";
    }
    WriteAll(dir.File("vars.yaml"), text);
    return dir.File("vars.yaml");
  }

 private:
  Child mock_;
  std::string port_;
  nlohmann::json vars_;
};

TEST(Features, AnEndpointSkipsWhatTheVarsFileLacksAndRunsTheRest) {
  if (kMock.empty()) GTEST_SKIP() << "onsmqtt-mock is not built";
  MockEndpoint endpoint;
  TempDir dir;
  std::string vars = endpoint.WriteExampleVars(dir);
  ASSERT_EQ(ReadAll(vars).find("file."), std::string::npos);
  RunnerRun r = RunRunner(dir, {"--target", endpoint.url(), "--vars", vars, "-j", "4"}, endpoint.Credentials());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("undefined variable"), std::string::npos) << r.output;
  EXPECT_EQ(Count(r.junit, "<failure"), 0u) << r.output;
  EXPECT_EQ(Count(r.junit, "<error"), 0u) << r.output;
  // The example defines no other identities' keys: those scenarios say so.
  EXPECT_GT(Count(r.junit,
                  "<skipped message=\"needs variable ${key.ram_user_without_permission.id} (define it in "
                  "the --vars file)\""),
            0u)
      << r.junit;
  // requires: mock scenarios are skipped for that reason, whatever they use.
  EXPECT_GT(Count(r.junit, "<skipped message=\"needs a mock target"), 0u);
  size_t ran = Count(r.junit, "<testcase ") - Count(r.junit, "<skipped ");
  EXPECT_GT(ran, 10u) << r.output;
}

TEST(Features, OnAnEndpointANameNoSourceDefinesIsStillATypo) {
  if (kMock.empty()) GTEST_SKIP() << "onsmqtt-mock is not built";
  MockEndpoint endpoint;
  TempDir dir;
  std::string vars = endpoint.WriteExampleVars(dir);
  RunnerRun r =
      RunRunner(dir, {"--target", endpoint.url(), "--vars", vars, "runner/testdata/broken/undefined_variable.yaml"},
                endpoint.Credentials());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("undefined variable ${device.activ.sn}; did you mean \"device.active.sn\"?"),
            std::string::npos)
      << r.output;
  // A requires: mock scenario never runs there, so it needs none of its names.
  WriteAll(dir.File("mock_only.yaml"),
           "scenarios:\n  - name: needs the fixture's PEM\n    requires: {mock: a PEM text of the fixture}\n"
           "    steps:\n      - call: RegisterCaCertificate\n        params:\n"
           "          MqttInstanceId: ${instance.platinum.id}\n          CaContent: ${file.my_own_ca}\n");
  RunnerRun skipped =
      RunRunner(dir, {"--target", endpoint.url(), "--vars", vars, dir.File("mock_only.yaml")}, endpoint.Credentials());
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_NE(skipped.junit.find("<skipped message=\"needs a mock target: a PEM text of the fixture\""),
            std::string::npos)
      << skipped.junit;
}

TEST(Features, TheMocksCommandLine) {
  if (kMock.empty()) GTEST_SKIP() << "onsmqtt-mock is not built";
  Child version({kMock, "--version"});
  EXPECT_EQ(version.Wait(), 0);
  EXPECT_EQ(version.output().rfind(std::string("onsmqtt-mock ") + ONSMQTT_EXPECTED_VERSION, 0), 0u) << version.output();
  Child help({kMock, "--help"});
  EXPECT_EQ(help.Wait(), 0);
  EXPECT_NE(help.output().find("  --max-connections N       connections open at once"), std::string::npos)
      << help.output();
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--fixture", "fixtures/default.yaml", "--x"}, "onsmqtt-mock: error: unknown option \"--x\" (see --help)\n"},
      {{"--fixture", "fixtures/default.yaml", "--prot", "1"},
       "onsmqtt-mock: error: unknown option \"--prot\"; did you mean \"--port\"? (see --help)\n"},
      {{"--fixture", "fixtures/default.yaml", "--port"}, "onsmqtt-mock: error: --port needs a value (see --help)\n"},
      // The runner's words (below).
      {{"--fixture", "fixtures/default.yaml", "--verbose"},
       "onsmqtt-mock: error: unknown option \"--verbose\" (see --help)\n"},
      {{"--fixture", "fixtures/default.yaml", "--quiet=1"},
       "onsmqtt-mock: error: --quiet takes no value (see --help)\n"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> argv = {kMock};
    argv.insert(argv.end(), args.begin(), args.end());
    Child c(argv);
    EXPECT_EQ(c.Wait(), 2) << c.output();
    EXPECT_EQ(c.output().rfind(message, 0), 0u) << c.output();
  }
}

TEST(Features, TheRunnersCommandLine) {
  Child version({kRunner, "--version"});
  EXPECT_EQ(version.Wait(), 0);
  Child help({kRunner, "--help"});
  EXPECT_EQ(help.Wait(), 0);
  EXPECT_NE(help.output().find("  --junit-flavour F      strict (default;"), std::string::npos) << help.output();
  EXPECT_EQ(version.output(), std::string("onsmqtt-runner ") + ONSMQTT_EXPECTED_VERSION + "\n");
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--check", "--x"}, "onsmqtt-runner: error: unknown option \"--x\" (see --help)\n"},
      {{"--check", "--verison"}, "onsmqtt-runner: error: unknown option \"--verison\"; did you mean \"--version\"?"},
      {{"--check", "--junit"}, "onsmqtt-runner: error: --junit needs a value (see --help)\n"},
      // The mock's words (above).
      {{"--check", "--verbose"}, "onsmqtt-runner: error: unknown option \"--verbose\" (see --help)\n"},
      {{"--check", "--quiet=1"}, "onsmqtt-runner: error: --quiet takes no value (see --help)\n"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> argv = {kRunner};
    argv.insert(argv.end(), args.begin(), args.end());
    Child c(argv);
    EXPECT_EQ(c.Wait(), 2) << c.output();
    EXPECT_EQ(c.output().rfind(message, 0), 0u) << c.output();
  }
}

}  // namespace
}  // namespace onsmqtt::runner
