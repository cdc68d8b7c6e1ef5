#include "runner/scenario/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "runner/scenario/loader_test_util.h"

namespace onsmqtt::runner {
namespace {

using ::testing::HasSubstr;

TEST(LoaderTest, FixtureNotFoundNamesWhereItLooked) {
  std::string path = WriteTemp("fixture_msg",
                               "fixture: no/such.yaml\nscenarios:\n  - name: s\n    steps:\n"
                               "      - call: GetRegisterCode\n");
  LoadResult result = LoadScenarios({path}, Options());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].message, HasSubstr("fixture \"no/such.yaml\" not found (looked for "));
  EXPECT_THAT(result.errors[0].message, HasSubstr("relative to the scenario file"));
}

TEST(LoaderTest, CollectsEveryErrorOfEveryFile) {
  std::string a = WriteTemp("multi_a", std::string(kHead) +
                                           "        scheme: v9\n"
                                           "        expect:\n          stauts: 200\n"
                                           "  - name: t\n    steps:\n      - call: Nope\n");
  std::string b = WriteTemp("multi_b",
                            "scenarios:\n  - name: s\n    retries: -1\n    steps:\n"
                            "      - call: GetRegisterCode\n        params:\n"
                            "          MqttInstanceId: ${undefined_thing}\n");
  LoadResult result = LoadScenarios({a, b}, Options());
  ASSERT_EQ(result.errors.size(), 5u);
  EXPECT_EQ(result.errors[0].loc.line, 5);   // scheme (errors come in document order within a step)
  EXPECT_EQ(result.errors[1].loc.line, 7);   // unknown key
  EXPECT_EQ(result.errors[2].loc.line, 10);  // unknown action of the second scenario
  EXPECT_EQ(result.errors[3].loc.file, b);
  EXPECT_EQ(result.errors[3].message, "retries must be between 0 and 10, got -1");
  EXPECT_THAT(result.errors[4].message, HasSubstr("undefined variable ${undefined_thing}"));
  EXPECT_TRUE(result.files.empty());
  // LoadScenarioFile summarizes: the first error and a count.
  StatusOr<ScenarioFile> one = LoadScenarioFile(a, Options());
  ASSERT_FALSE(one.ok());
  EXPECT_THAT(one.status().message(), HasSubstr("(and 2 more errors)"));
  EXPECT_EQ(one.status().location()->line, 5);
}

TEST(LoaderTest, MissingPathIsAnError) {
  LoadResult result = LoadScenarios({"no/such/folder"}, Options());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message, "no such file or folder \"no/such/folder\"");
}

TEST(LoaderTest, ReadsEveryFieldTyped) {
  std::string path = WriteTemp("full", R"(suite: my.suite
scenarios:
  - name: full scenario
    tags: [a, b]
    description: what it does
    requires: {mock: needs fixture state}
    mutates: true
    retries: 2
    steps:
      - name: first
        call: ActiveDeviceCertificate
        as: ram_user_admin
        scheme: v1
        method: GET
        placement: form
        params:
          MqttInstanceId: ${instance.platinum.id}
          CaSn: ""
          DeviceSn: ${repeat:a:129}
        version: "2020-04-20"
        format: XML
        nonce: n-${uuid}
        timestamp_offset: -1200
        auth: wrong_secret
        host: onsmqtt.${region}.aliyuncs.com
        capture:
          sn: $.DeviceSn
          rid: header:x-acs-request-id
        expect:
          status: [400, 500]
          code: {one_of: [ParameterFieldCheckFailed]}
          message: {contains: Failed}
          contract: false
          body:
            $.A: "1"
            $.B: 1
            $.C: 1.5
            $.D: true
            $.E: null
            $.F: {equals: {x: [1, "2"]}}
            $.G: {regex: "^a.*$"}
            $.H: {type: number}
            $.I: {format: request_id}
            $.J: {absent: true}
            $.K: {present: true}
            $.L:
              contains: ${region}x
          headers:
            X-Acs-Request-Id: {present: true}
      - call: ActiveDeviceCertificate
        burst: {count: 1100, concurrency: 32}
        params:
          DeviceSn: ${sn}
        expect:
          outcomes:
            success: {min: 1, max: 500}
            Throttling.User: {min: 1}
            unanswered: 0
    cleanup:
      - call: Whatever
        unknown_action: true
        params: {Anything: "${env.HOME}"}
)");
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, Options());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->suite, "my.suite");
  ASSERT_EQ(file->scenarios.size(), 1u);
  const Scenario& sc = file->scenarios[0];
  EXPECT_EQ(sc.classname, "onsmqtt.my.suite");
  EXPECT_EQ(sc.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sc.description, "what it does");
  EXPECT_TRUE(sc.requires_mock);
  EXPECT_EQ(sc.requires_reason, "needs fixture state");
  EXPECT_TRUE(sc.mutates);
  EXPECT_EQ(sc.retries, 2);
  EXPECT_EQ(sc.loc.line, 3);
  ASSERT_EQ(sc.steps.size(), 2u);
  const Step& s = sc.steps[0];
  EXPECT_EQ(s.kind, Step::Kind::kCall);
  EXPECT_EQ(s.name, "first");
  EXPECT_EQ(s.call.identity, "ram_user_admin");
  EXPECT_EQ(s.call.scheme, SignatureScheme::kV1);
  EXPECT_EQ(s.call.method, HttpMethod::kGet);
  EXPECT_EQ(s.call.placement, ParamPlacement::kFormBody);
  ASSERT_EQ(s.call.params.size(), 3u);
  EXPECT_EQ(s.call.params[0].first, "MqttInstanceId");  // in file order
  EXPECT_EQ(s.call.params[1].second.text, "");
  EXPECT_EQ(s.call.params[2].second.text, "${repeat:a:129}");
  EXPECT_EQ(s.call.params[2].second.loc.line, 19);
  EXPECT_EQ(s.call.version->text, "2020-04-20");
  EXPECT_EQ(s.call.format, "XML");
  EXPECT_EQ(s.call.nonce->text, "n-${uuid}");
  EXPECT_EQ(s.call.timestamp_offset, std::chrono::seconds(-1200));
  EXPECT_EQ(s.call.auth, AuthVariant::kWrongSecret);
  EXPECT_EQ(s.call.host->text, "onsmqtt.${region}.aliyuncs.com");
  ASSERT_EQ(s.captures.size(), 2u);
  EXPECT_EQ(s.captures[1].path, "header:x-acs-request-id");
  // JSON paths are parsed once, here: captures and body assertions carry
  // the parsed form the evaluation uses; a header capture has none.
  ASSERT_TRUE(s.captures[0].json_path.has_value());
  ASSERT_EQ(s.captures[0].json_path->segments.size(), 1u);
  EXPECT_EQ(std::get<std::string>(s.captures[0].json_path->segments[0]), "DeviceSn");
  EXPECT_FALSE(s.captures[1].json_path.has_value());
  const Expectation& e = s.expect;
  EXPECT_EQ(e.body[0].path.text, "$.A");
  ASSERT_EQ(e.body[0].path.segments.size(), 1u);
  EXPECT_EQ(std::get<std::string>(e.body[0].path.segments[0]), "A");
  EXPECT_EQ(e.status->kind, StatusExpectation::Kind::kAnyOf);
  EXPECT_EQ(e.status->statuses, (std::vector<int>{400, 500}));
  EXPECT_EQ(e.code->kind, MatcherKind::kOneOf);
  EXPECT_EQ(e.message->kind, MatcherKind::kContains);
  EXPECT_FALSE(e.contract);
  ASSERT_EQ(e.body.size(), 12u);
  EXPECT_EQ(e.body[0].matcher.value.type, Value::Type::kString);  // "1" quoted
  EXPECT_EQ(e.body[1].matcher.value.type, Value::Type::kNumber);
  EXPECT_EQ(e.body[2].matcher.value.text, "1.5");
  EXPECT_EQ(e.body[3].matcher.value.type, Value::Type::kBoolean);
  EXPECT_EQ(e.body[4].matcher.value.type, Value::Type::kNull);
  EXPECT_EQ(e.body[5].matcher.value.type, Value::Type::kObject);
  EXPECT_EQ(e.body[5].matcher.value.members[0].value.items[1].type, Value::Type::kString);
  EXPECT_EQ(e.body[6].matcher.kind, MatcherKind::kRegex);
  EXPECT_EQ(e.body[7].matcher.kind, MatcherKind::kType);
  EXPECT_EQ(e.body[8].matcher.kind, MatcherKind::kRequestIdFormat);
  EXPECT_EQ(e.body[9].matcher.kind, MatcherKind::kAbsent);
  EXPECT_EQ(e.body[10].matcher.kind, MatcherKind::kPresent);
  EXPECT_EQ(e.body[11].matcher.kind, MatcherKind::kContains);
  EXPECT_EQ(e.body[11].loc.line, 46);
  EXPECT_EQ(e.body[11].loc.column, 13);
  ASSERT_EQ(e.headers.size(), 1u);
  EXPECT_EQ(e.headers[0].name, "X-Acs-Request-Id");
  const Step& b = sc.steps[1];
  EXPECT_EQ(b.kind, Step::Kind::kBurst);
  EXPECT_EQ(b.name, "2: ActiveDeviceCertificate");
  EXPECT_EQ(b.burst.count, 1100);
  EXPECT_EQ(b.burst.concurrency, 32);
  EXPECT_EQ(b.burst.outcomes.at("success").max, 500);
  EXPECT_EQ(b.burst.outcomes.at("success").min, 1);
  EXPECT_FALSE(b.burst.outcomes.at("Throttling.User").max.has_value());
  EXPECT_EQ(b.burst.outcomes.at("unanswered").max, 0);
  EXPECT_EQ(b.burst.outcomes.at("unanswered").min, 0);
  ASSERT_EQ(sc.cleanup.size(), 1u);
  EXPECT_TRUE(sc.cleanup[0].call.unknown_action);
  // The variables it uses and the names it captures, recorded at load.
  auto at = [&](const std::string& n) {
    return std::find(sc.references.begin(), sc.references.end(), n) - sc.references.begin();
  };
  const auto n = static_cast<long>(sc.references.size());
  EXPECT_LT(at("instance.platinum.id"), at("region")) << "parameters before the host";
  EXPECT_LT(at("region"), at("key.ram_user_admin.id")) << "the host before the identity's key";
  EXPECT_LT(at("key.ram_user_admin.secret"), n);
  EXPECT_EQ(sc.captured, (std::vector<std::string>{"sn", "rid"}));
}

TEST(LoaderTest, DefaultsWhenKeysAreOmitted) {
  std::string path = WriteTemp("defaults", std::string(kHead));
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, Options());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const Scenario& sc = file->scenarios[0];
  EXPECT_FALSE(sc.requires_mock);
  EXPECT_FALSE(sc.mutates);
  EXPECT_EQ(sc.retries, -1);
  EXPECT_EQ(sc.fixture, "");
  const Step& s = sc.steps[0];
  EXPECT_EQ(s.name, "1: ActiveDeviceCertificate");
  EXPECT_EQ(s.call.identity, "owner");
  EXPECT_FALSE(s.call.scheme.has_value());
  EXPECT_FALSE(s.call.method.has_value());
  EXPECT_EQ(s.call.placement, ParamPlacement::kQuery);
  EXPECT_EQ(s.call.auth, AuthVariant::kValid);
  EXPECT_TRUE(s.call.params.empty());
  EXPECT_FALSE(s.expect.status.has_value());
  EXPECT_TRUE(s.expect.contract);
}

TEST(LoaderTest, SuiteDefaultsToThePathUnderScenarios) {
  std::string dir = ::testing::TempDir() + "loader_suite/scenarios/active_device_certificate";
  std::filesystem::create_directories(dir);
  std::string path = dir + "/errors-v1.yaml";
  std::ofstream(path) << kHead;
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, Options());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->suite, "active_device_certificate.errors_v1");
  EXPECT_EQ(file->scenarios[0].classname, "onsmqtt.active_device_certificate.errors_v1");
}

TEST(LoaderTest, FixturePathsResolveAgainstTheScenarioFile) {
  std::string dir = ::testing::TempDir() + "loader_fixture";
  std::filesystem::create_directories(dir + "/fx");
  std::ofstream(dir + "/fx/state.yaml") << "x: 1\n";
  std::string path = dir + "/s.yaml";
  std::ofstream(path) << "fixture: fx/state.yaml\nscenarios:\n  - name: a\n    steps:\n      - call: GetRegisterCode\n"
                         "  - name: b\n    fixture: ./fx/../fx/state.yaml\n    steps:\n      - call: GetRegisterCode\n";
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, Options());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->scenarios[0].fixture, dir + "/fx/state.yaml");
  EXPECT_EQ(file->scenarios[1].fixture, dir + "/fx/state.yaml");
}

TEST(LoaderTest, FoldersAreReadRecursivelyInPathOrder) {
  std::string dir = ::testing::TempDir() + "loader_folder";
  std::filesystem::create_directories(dir + "/b");
  std::ofstream(dir + "/b/z.yaml") << kHead;
  std::ofstream(dir + "/a.yml") << kHead;
  std::ofstream(dir + "/notes.txt") << "not a scenario";
  LoadResult result = LoadScenarios({dir}, Options());
  ASSERT_TRUE(result.errors.empty()) << result.errors[0].rendered;
  ASSERT_EQ(result.files.size(), 2u);
  EXPECT_EQ(result.files[0].path, dir + "/a.yml");
  EXPECT_EQ(result.files[1].path, dir + "/b/z.yaml");
}

TEST(LoaderTest, AFileNamedTwiceIsReadOnce) {
  std::string dir = ::testing::TempDir() + "loader_twice";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a.yaml") << kHead;
  LoadResult result = LoadScenarios({dir, dir + "/./a.yaml"}, Options());
  ASSERT_TRUE(result.errors.empty());
  EXPECT_EQ(result.files.size(), 1u);
}

TEST(LoaderTest, VariablesAreNotCheckedWhenDisabled) {
  std::string path = WriteTemp("nocheck", std::string(kHead) +
                                              "        as: anyone\n        params:\n"
                                              "          DeviceSn: ${whatever}\n");
  LoadOptions options;
  options.check_variables = false;
  EXPECT_TRUE(LoadScenarioFile(path, options).ok());
  EXPECT_FALSE(LoadScenarioFile(path, Options()).ok());
}

TEST(LoaderTest, CapturesOfEarlierStepsAndBuiltinsAreDefined) {
  std::string path = WriteTemp("captures", std::string(kHead) +
                                               "        capture: {got: $.DeviceSn}\n"
                                               "      - call: GetDeviceCertificate\n        params:\n"
                                               "          DeviceSn: ${got}\n          CaSn: ${run.id}-${timestamp}\n"
                                               "          MqttInstanceId: $${not a variable}\n"
                                               "    cleanup:\n      - call: ActiveDeviceCertificate\n"
                                               "        params: {DeviceSn: \"${got}\"}\n");
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, Options());
  EXPECT_TRUE(file.ok()) << file.status().ToString();
}

TEST(LoaderTest, CapturesDoNotLeakIntoTheNextScenario) {
  std::string path = WriteTemp("capture_scope", std::string(kHead) +
                                                    "        capture: {got: $.DeviceSn}\n"
                                                    "  - name: t\n    steps:\n      - call: ActiveDeviceCertificate\n"
                                                    "        params: {DeviceSn: \"${got}\"}\n");
  LoadResult result = LoadScenarios({path}, Options());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].loc.line, 9);
  EXPECT_THAT(result.errors[0].message, HasSubstr("undefined variable ${got}"));
}

TEST(LoaderTest, OnAnEndpointRequiresMockScenariosNeedNoVariables) {
  std::string path = WriteTemp("requires_mock_names",
                               "scenarios:\n  - name: s\n    requires: {mock: a PEM of the fixture}\n    steps:\n"
                               "      - call: RegisterCaCertificate\n        as: somebody\n"
                               "        params: {CaContent: \"${file.only_in_some_fixture}\"}\n"
                               "  - name: t\n    steps:\n      - call: GetRegisterCode\n"
                               "        params: {MqttInstanceId: \"${instance.platnum.id}\"}\n");
  LoadOptions endpoint = Options();
  endpoint.skip_requires_mock_variables = true;
  LoadResult result = LoadScenarios({path}, endpoint);
  ASSERT_EQ(result.errors.size(), 1u) << "a scenario that runs is still checked";
  EXPECT_THAT(result.errors[0].message, HasSubstr("undefined variable ${instance.platnum.id}"));
  EXPECT_EQ(LoadScenarios({path}, Options()).errors.size(), 3u) << "against the mock everything is checked";
}

// A file's own fixture: its variables are checked against that fixture.
class FixtureVariablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plat_ = WriteTemp("fixture_plat", "# names come from the test's callback\n");
    broken_ = WriteTemp("fixture_broken", "# does not load, says the callback\n");
    options_ = Options();
    options_.fixture_variables = [this](const std::string& fixture) -> StatusOr<std::set<std::string>> {
      ++calls_[fixture];
      if (fixture == broken_) return Status::ParseError({fixture, 3, 5}, "unknown key \"acounts\"");
      return std::set<std::string>{"instance.plat.id", "key.plat_admin.id", "key.plat_admin.secret", "region"};
    };
  }
  std::string File(const std::string& name, const std::string& head, const std::string& param) {
    return WriteTemp(name, head + "scenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n" +
                               "        params: {MqttInstanceId: \"" + param + "\"}\n");
  }

  std::string plat_, broken_;
  LoadOptions options_;
  std::map<std::string, int> calls_;
};

TEST_F(FixtureVariablesTest, FilesWithDifferentFixturesShareALoad) {
  std::string own = File("own_fixture", "fixture: loader_test_fixture_plat.yaml\n", "${instance.plat.id}");
  std::string own2 = File("own_fixture2", "fixture: loader_test_fixture_plat.yaml\n", "${region}");
  std::string run = File("run_fixture", "", "${instance.platinum.id}");
  LoadResult result = LoadScenarios({own, own2, run}, options_);
  EXPECT_TRUE(result.errors.empty()) << result.errors[0].rendered;
  ASSERT_EQ(result.files.size(), 3u);
  EXPECT_EQ(result.files[0].scenarios[0].fixture, plat_);
  EXPECT_EQ(result.files[2].scenarios[0].fixture, "");
  EXPECT_EQ(calls_[plat_], 1) << "each fixture is read once per load";
}

TEST_F(FixtureVariablesTest, EachFileIsCheckedAgainstItsOwnFixtureOnly) {
  std::string own = File("own_uses_run", "fixture: loader_test_fixture_plat.yaml\n", "${instance.platinum.id}");
  std::string run = File("run_uses_own", "", "${instance.plat.id}");
  LoadResult result = LoadScenarios({own, run}, options_);
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_THAT(result.errors[0].message, HasSubstr("undefined variable ${instance.platinum.id}; did you mean "
                                                  "\"instance.plat.id\"?"));
  EXPECT_EQ(result.errors[1].message, "undefined variable ${instance.plat.id}; did you mean \"instance.platinum.id\"?");
}

TEST_F(FixtureVariablesTest, AScenariosOwnFixtureAndIdentitiesFromIt) {
  std::string path = WriteTemp("scenario_fixture",
                               "scenarios:\n  - name: s\n    fixture: loader_test_fixture_plat.yaml\n    steps:\n"
                               "      - call: GetRegisterCode\n        as: plat_admin\n"
                               "        params: {MqttInstanceId: \"${instance.plat.id}\"}\n"
                               "  - name: t\n    steps:\n      - call: GetRegisterCode\n        as: plat_admin\n");
  LoadResult result = LoadScenarios({path}, options_);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].loc.line, 11);
  EXPECT_THAT(result.errors[0].message, HasSubstr("unknown identity \"plat_admin\""));
}

TEST_F(FixtureVariablesTest, AFixtureThatDoesNotLoadIsAnErrorAtItsKey) {
  std::string path = File("broken_fixture", "fixture: loader_test_fixture_broken.yaml\n", "${anything}");
  LoadResult result = LoadScenarios({path}, options_);
  ASSERT_EQ(result.errors.size(), 1u) << "names are not checked against a fixture that did not load";
  EXPECT_EQ(result.errors[0].loc.line, 1);
  EXPECT_EQ(result.errors[0].loc.column, 10);
  EXPECT_EQ(result.errors[0].message,
            "fixture \"" + broken_ + "\" does not load: " + broken_ + ":3:5: unknown key \"acounts\"");
}

}  // namespace
}  // namespace onsmqtt::runner
