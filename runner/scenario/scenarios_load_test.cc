// Every shipped scenario file loads cleanly with the default fixture's
// variables, and the deliberately broken test data does not.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "contract/yaml_tree.h"
#include "mock_server/mock_server.h"
#include "runner/scenario/loader.h"

namespace onsmqtt::runner {
namespace {

namespace fs = std::filesystem;

// The variable names fixtures/default.yaml defines, derived from its keys
// the way the mock names them (MockState::Variables): region,
// account.<k>.uid, key.<k>.id/.secret (and .token/.expiration of temporary
// credentials), instance.<k>.id/.region,
// ca.<k>.sn/.name, device.<k>.sn/.ca_sn/.pem/.key, file.<k>[.key], mqtt.ca. Read with yaml_tree so
// this test does not link the mock.
std::set<std::string> FixtureVariables(const std::string& path) {
  StatusOr<yaml::Node> root = yaml::ParseFile(path);
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  std::set<std::string> names;
  if (!root.ok()) return names;
  if (root->Find("default_region") != nullptr) names.insert("region");
  const struct {
    const char* section;
    const char* prefix;
    std::vector<const char*> suffixes;
  } kSections[] = {
      {"accounts", "account", {".uid"}},
      {"access_keys", "key", {".id", ".secret"}},
      {"temporary_credentials", "key", {".id", ".secret", ".token", ".expiration"}},
      {"instances", "instance", {".id", ".region"}},
      {"ca_certificates", "ca", {".sn", ".name"}},
      {"device_certificates", "device", {".sn", ".ca_sn", ".pem", ".key"}},  // every device has its key
      {"files", "file", {""}},
  };
  for (const auto& section : kSections) {
    const yaml::Node* map = root->Find(section.section);
    EXPECT_NE(map, nullptr) << path << " has no " << section.section;
    if (map == nullptr) continue;
    for (const auto& [key, value] : map->entries) {
      for (const char* suffix : section.suffixes) {
        names.insert(std::string(section.prefix) + "." + key.scalar + suffix);
      }
    }
  }
  // A file's key, when <name>.key lies beside its <name>.pem.
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (const yaml::Node* files = root->Find("files")) {
    for (const auto& [key, value] : files->entries) {
      std::filesystem::path pem = dir / value.scalar;
      if (std::filesystem::exists(pem.replace_extension(".key"))) names.insert("file." + key.scalar + ".key");
    }
  }
  if (const yaml::Node* mqtt = root->Find("mqtt"); mqtt != nullptr && mqtt->Find("ca") != nullptr) {
    names.insert("mqtt.ca");
  }
  return names;
}

// The derivation above agrees with the mock's own naming (its public API).
TEST(ScenariosLoad, FixtureVariablesAreTheMocksVariables) {
  mock::MockServer server{mock::MockOptions{}};
  ASSERT_TRUE(server.LoadFixture("fixtures/default.yaml").ok());
  std::set<std::string> from_mock;
  for (const auto& [name, value] : server.Variables()) from_mock.insert(name);
  EXPECT_EQ(FixtureVariables("fixtures/default.yaml"), from_mock);
}

LoadOptions DefaultOptions() {
  LoadOptions options;
  options.known_variables = FixtureVariables("fixtures/default.yaml");
  return options;
}

TEST(ScenariosLoad, FixtureVariablesCoverTheSharedNaming) {
  std::set<std::string> names = FixtureVariables("fixtures/default.yaml");
  for (const char* name :
       {"region", "key.owner.id", "key.disabled.secret", "instance.other_region.id", "ca.a.sn", "device.inactive.ca_sn",
        "file.ca_new_verification", "account.owner.uid", "key.sts_owner.token", "key.sts_expired.expiration"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
}

TEST(ScenariosLoad, EveryShippedScenarioFileLoads) {
  LoadResult result = LoadScenarios({"scenarios"}, DefaultOptions());
  for (const Diagnostic& d : result.errors) ADD_FAILURE() << d.rendered;
  size_t scenarios = 0;
  std::set<std::string> classnames_and_names;
  for (const ScenarioFile& file : result.files) {
    EXPECT_FALSE(file.scenarios.empty()) << file.path;
    for (const Scenario& sc : file.scenarios) {
      ++scenarios;
      EXPECT_TRUE(classnames_and_names.insert(sc.classname + "/" + sc.name).second)
          << "duplicate (classname, name): " << sc.classname << " " << sc.name;
      EXPECT_FALSE(sc.steps.empty()) << sc.name;
    }
  }
  EXPECT_GE(result.files.size(), 10u);
  EXPECT_GE(scenarios, 60u);
}

// scenarios/mqtt tells the device side of the contract: every scenario is
// tagged mqtt and connects at least once; refusals are expected in any form
// unless the scenario is marked as needing the mock.
TEST(ScenariosLoad, TheMqttScenariosConnect) {
  LoadResult result = LoadScenarios({"scenarios/mqtt"}, DefaultOptions());
  for (const Diagnostic& d : result.errors) ADD_FAILURE() << d.rendered;
  EXPECT_GE(result.files.size(), 5u);
  size_t scenarios = 0;
  for (const ScenarioFile& file : result.files) {
    for (const Scenario& sc : file.scenarios) {
      ++scenarios;
      EXPECT_NE(std::find(sc.tags.begin(), sc.tags.end(), "mqtt"), sc.tags.end()) << sc.name;
      bool connects = false;
      for (const Step& step : sc.steps) {
        if (step.kind != Step::Kind::kConnect) continue;
        connects = true;
        using Kind = ConnectExpectation::Kind;
        bool pinned = step.connect.expect.kind == Kind::kRefusedTls || step.connect.expect.kind == Kind::kClosed ||
                      (step.connect.expect.kind == Kind::kConnack && step.connect.expect.code != 0);
        EXPECT_TRUE(!pinned || sc.requires_mock) << sc.name << ": a refusal's form is an assumption";
      }
      EXPECT_TRUE(connects) << sc.name;
    }
  }
  EXPECT_GE(scenarios, 20u);
}

// scenarios/README.md lists every shipped file.
TEST(ScenariosLoad, TheReadmeListsEveryFile) {
  StatusOr<std::string> readme = yaml::ReadFile("scenarios/README.md");
  ASSERT_TRUE(readme.ok()) << readme.status().ToString();
  for (const auto& entry : fs::recursive_directory_iterator("scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    std::string relative = fs::relative(entry.path(), "scenarios").string();
    EXPECT_NE(readme->find("`" + relative + "`"), std::string::npos) << relative << " is not in scenarios/README.md";
  }
}

TEST(ScenariosLoad, FailingTestDataLoads) {
  LoadResult result = LoadScenarios({"runner/testdata/failing"}, DefaultOptions());
  for (const Diagnostic& d : result.errors) ADD_FAILURE() << d.rendered;
  EXPECT_FALSE(result.files.empty());
}

// runner/testdata/README.md documents these; keep the two in step.
TEST(ScenariosLoad, BrokenTestDataGivesTheDocumentedErrors) {
  const struct {
    const char* file;
    std::vector<std::string> errors;  // "line:col: message"
  } kCases[] = {
      {"unknown_key", {"7:11: unknown key \"stauts\" in expect; did you mean \"status\"?"}},
      {"duplicate_key", {"8:11: duplicate key \"DeviceSn\" (a key may appear once per map)"}},
      {"wrong_type", {"4:14: retries must be an integer, got \"three\""}},
      {"unknown_action",
       {"5:15: unknown action \"ActivateDeviceCertificate\"; did you mean \"ActiveDeviceCertificate\"? (write "
        "unknown_action: true to send it deliberately)"}},
      {"undefined_variable", {"8:21: undefined variable ${device.activ.sn}; did you mean \"device.active.sn\"?"}},
      {"capture_before_defined",
       {"8:15: undefined variable ${sn} (not a variable of the target, a capture of an earlier step, a built-in or "
        "env.NAME)"}},
      {"unknown_matcher", {"8:26: body $.DeviceSn: unknown matcher \"regx\"; did you mean \"regex\"?"}},
      {"several_errors",
       {"6:17: scheme must be one of v1 v3, got \"v2\"; did you mean \"v1\"?",
        "8:14: mutates must be true or false, got \"sometimes\"",
        "11:5: duplicate scenario name \"first\" (first at line 3); names are unique within a file"}},
  };
  for (const auto& c : kCases) {
    std::string path = std::string("runner/testdata/broken/") + c.file + ".yaml";
    LoadResult result = LoadScenarios({path}, DefaultOptions());
    std::vector<std::string> got;
    for (const Diagnostic& d : result.errors) {
      EXPECT_EQ(d.loc.file, path);
      got.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": " + d.message);
    }
    EXPECT_EQ(got, c.errors) << path;
    EXPECT_TRUE(result.files.empty()) << path;
  }
}

TEST(ScenariosLoad, EveryBrokenTestDataFileIsRejected) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator("runner/testdata/broken")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  ASSERT_FALSE(files.empty());
  for (const std::string& file : files) {
    StatusOr<ScenarioFile> loaded = LoadScenarioFile(file, DefaultOptions());
    EXPECT_FALSE(loaded.ok()) << file << " loaded but should not";
    if (!loaded.ok()) {
      ASSERT_TRUE(loaded.status().location().has_value()) << file;
      EXPECT_EQ(loaded.status().location()->file, file);
      EXPECT_GT(loaded.status().location()->line, 0) << file;
    }
  }
}

}  // namespace
}  // namespace onsmqtt::runner
