#include "runner/result/coverage.h"

#include <gtest/gtest.h>

namespace onsmqtt::runner {
namespace {

const Contract& C() { return BuiltinContract(); }

Exchange Answered(const std::string& action, const std::string& code, int status, bool burst = false) {
  Exchange e;
  e.action = action;
  e.code = code;
  e.status = status;
  e.burst_sample = burst;
  return e;
}

ScenarioResult Scenario(const std::string& name, Verdict v, std::vector<Exchange> exchanges, bool cleanup = false) {
  ScenarioResult s;
  s.name = name;
  s.verdict = v;
  StepResult step;
  step.cleanup = cleanup;
  step.exchanges = std::move(exchanges);
  s.steps.push_back(step);
  return s;
}

const CoveragePair* Find(const std::vector<CoveragePair>& pairs, const std::string& op, const std::string& code) {
  for (const CoveragePair& p : pairs) {
    if (p.operation == op && p.code == code) return &p;
  }
  return nullptr;
}

TEST(Coverage, EveryDocumentedPairInTheContractsOrder) {
  Coverage c = ComputeCoverage(RunResult{}, C(), {}, true);
  size_t documented = 0;
  for (const OperationSpec& op : C().operations) documented += op.errors.size();
  EXPECT_EQ(documented, 79u);
  ASSERT_EQ(c.pairs.size(), documented);
  EXPECT_EQ(c.pairs.front().operation, C().operations.front().name);
  EXPECT_EQ(c.pairs.front().code, C().operations.front().errors.front());
  EXPECT_EQ(c.Count(CoverageState::kMissing), documented);
  EXPECT_TRUE(c.gate);
  EXPECT_DOUBLE_EQ(DemonstratedPercent(c), 0.0);
}

// A connect step makes no API call: a scenario of connects alone counts
// for nothing, and beside calls only the calls count.
TEST(Coverage, ConnectStepsDoNotCount) {
  RunResult run;
  FileResult f;
  ScenarioResult s = Scenario("connects", Verdict::kPassed, {});
  s.steps[0].connect = ConnectRecord{};
  s.steps[0].connect->outcome = "connack 5 (not authorized)";
  StepResult call;
  call.exchanges.push_back(Answered("GetDeviceCertificate", "FindDeviceBySnError", 500));
  s.steps.push_back(call);
  f.scenarios.push_back(s);
  run.files.push_back(f);
  Coverage c = ComputeCoverage(run, C(), {}, false);
  EXPECT_EQ(c.Count(CoverageState::kDemonstrated), 1u);
  EXPECT_EQ(Find(c.pairs, "GetDeviceCertificate", "FindDeviceBySnError")->state, CoverageState::kDemonstrated);
  EXPECT_EQ(c.Count(CoverageState::kUndocumented), 0u);
  EXPECT_TRUE(c.common.empty());
}

TEST(Coverage, OnlyPassingScenariosAndJudgedStepsDemonstrate) {
  RunResult run;
  FileResult f;
  f.scenarios.push_back(Scenario("failed", Verdict::kFailed, {Answered("GetCaCertificate", "FindCaBySnError", 500)}));
  f.scenarios.push_back(
      Scenario("cleanup only", Verdict::kPassed, {Answered("GetCaCertificate", "MqttInstanceNotFound", 500)}, true));
  f.scenarios.push_back(Scenario("passed", Verdict::kPassed,
                                 {Answered("ActiveDeviceCertificate", "FindDeviceBySnError", 500, true),
                                  Answered("ActiveDeviceCertificate", "FindDeviceBySnError", 500)}));
  run.files.push_back(f);
  Coverage c = ComputeCoverage(run, C(), {}, false);
  EXPECT_EQ(Find(c.pairs, "GetCaCertificate", "FindCaBySnError")->state, CoverageState::kMissing);
  EXPECT_EQ(Find(c.pairs, "GetCaCertificate", "MqttInstanceNotFound")->state, CoverageState::kMissing);
  const CoveragePair* shown = Find(c.pairs, "ActiveDeviceCertificate", "FindDeviceBySnError");
  ASSERT_EQ(shown->state, CoverageState::kDemonstrated);
  ASSERT_EQ(shown->exchanges.size(), 2u);
  EXPECT_EQ(shown->exchanges[0].exchange, 1u) << "single calls come before burst samples";
  EXPECT_EQ(shown->statuses, std::vector<int>{500});
}

TEST(Coverage, UndocumentedCodesAreDriftAndCommonOnesAreNot) {
  RunResult run;
  FileResult f;
  f.scenarios.push_back(Scenario("drift", Verdict::kFailed,
                                 {Answered("GetRegisterCode", "FindCaBySnError", 500),
                                  Answered("GetRegisterCode", "Forbidden.NotInCatalogue", 403)}));
  f.scenarios.push_back(Scenario("gateway", Verdict::kPassed,
                                 {Answered("ActiveDeviceCertificate", "SignatureDoesNotMatch", 400),
                                  Answered("ActiveDeviceCertificate", "InternalError", 500)}));
  run.files.push_back(f);
  Coverage c = ComputeCoverage(run, C(), {}, true);
  EXPECT_EQ(c.Count(CoverageState::kUndocumented), 2u);
  EXPECT_EQ(c.Documented(), 79u);
  ASSERT_NE(Find(c.pairs, "GetRegisterCode", "Forbidden.NotInCatalogue"), nullptr);
  EXPECT_EQ(Find(c.pairs, "GetRegisterCode", "Forbidden.NotInCatalogue")->statuses, std::vector<int>{403});
  EXPECT_EQ(Find(c.pairs, "ActiveDeviceCertificate", "SignatureDoesNotMatch"), nullptr);
  EXPECT_NE(Find(c.common, "ActiveDeviceCertificate", "SignatureDoesNotMatch"), nullptr);
  EXPECT_NE(Find(c.common, "ActiveDeviceCertificate", "InternalError"), nullptr);
}

TEST(Coverage, AWaiverCountsOnlyWhileThePairIsNotDemonstrated) {
  auto waivers = ParseWaivers(R"(waivers:
  - operation: GetCaCertificate
    code: ApiNotSupport
    reason: no non-Platinum instance on the test account
  - operation: ActiveDeviceCertificate
    code: FindDeviceBySnError
    reason: stale
)",
                              "w.yaml", C());
  ASSERT_TRUE(waivers.ok()) << waivers.status().ToString();
  RunResult run;
  FileResult f;
  f.scenarios.push_back(
      Scenario("passed", Verdict::kPassed, {Answered("ActiveDeviceCertificate", "FindDeviceBySnError", 500)}));
  run.files.push_back(f);
  Coverage c = ComputeCoverage(run, C(), *waivers, true);
  const CoveragePair* waived = Find(c.pairs, "GetCaCertificate", "ApiNotSupport");
  EXPECT_EQ(waived->state, CoverageState::kWaived);
  EXPECT_EQ(waived->waiver, "no non-Platinum instance on the test account");
  EXPECT_EQ(waived->waiver_loc.ToString(), "w.yaml:2:5");
  EXPECT_EQ(Find(c.pairs, "ActiveDeviceCertificate", "FindDeviceBySnError")->state, CoverageState::kDemonstrated);
}

struct BadWaiver {
  const char* text;
  const char* error;
};

class WaiverErrors : public ::testing::TestWithParam<BadWaiver> {};

TEST_P(WaiverErrors, SayWhereAndWhat) {
  auto w = ParseWaivers(GetParam().text, "w.yaml", C());
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().ToString().find(GetParam().error), std::string::npos) << w.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Table, WaiverErrors,
    ::testing::Values(
        BadWaiver{"waivers:\n  - operation: GetCaCertificat\n    code: ApiNotSupport\n    reason: x\n",
                  "w.yaml:2:16: error: unknown operation \"GetCaCertificat\"; did you mean \"GetCaCertificate\"?"},
        BadWaiver{"waivers:\n  - operation: GetCaCertificate\n    code: FindDeviceBySnError\n    reason: x\n",
                  "w.yaml:3:11: error: the contract does not document \"FindDeviceBySnError\" for GetCaCertificate"},
        BadWaiver{"waivers:\n  - {operation: GetCaCertificate, code: ApiNotSupport, reason: x}\n"
                  "  - {operation: GetCaCertificate, code: ApiNotSupport, reason: y}\n",
                  "w.yaml:3:5: error: GetCaCertificate / ApiNotSupport is waived twice"},
        BadWaiver{"waivers:\n  - {operation: GetCaCertificate, code: ApiNotSupport, reason: \" \"}\n",
                  "a waiver needs a reason"},
        BadWaiver{"waivers:\n  - {operation: GetCaCertificate, code: ApiNotSupport, reson: x}\n", "reson"},
        BadWaiver{"waiver: []\n", "waiver"}, BadWaiver{"waivers: {a: 1}\n", "waivers is a list, not a map"}));

}  // namespace
}  // namespace onsmqtt::runner
