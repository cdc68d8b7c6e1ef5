// The executor's part of the CI gate: an error answer is named where the
// status differs, bursts on an endpoint wait a throttling window first,
// an interrupted run carries an error, descriptions reach the results.
#include <gtest/gtest.h>

#include "runner/execute/executor.h"
#include "runner/execute/fake_service_test_util.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::FakeService;
using testing::TempDir;
using testing::WriteAll;

constexpr char kId[] = "LTAIowner0001";
constexpr char kSecret[] = "ownerSecretValue0123456789";

Step Call(const std::string& name, const std::string& sn) {
  Step step;
  step.name = name;
  step.call.action = "ActiveDeviceCertificate";
  step.call.params.push_back({"DeviceSn", Template{sn, {"s.yaml", 5, 7}}});
  step.expect.contract = false;
  step.loc = {"s.yaml", 4, 5};
  return step;
}

Step Burst(const std::string& name, int count) {
  Step step = Call(name, "b");
  step.kind = Step::Kind::kBurst;
  step.burst.count = count;
  step.burst.concurrency = 2;
  step.burst.outcomes["success"] = {count, count, {"s.yaml", 20, 9}, std::nullopt};
  return step;
}

Scenario Make(const std::string& name, std::vector<Step> steps) {
  Scenario s;
  s.name = name;
  s.classname = "onsmqtt.gate";
  s.description = "what " + name + " shows";
  s.steps = std::move(steps);
  s.loc = {"s.yaml", 1, 3};
  return s;
}

class ExecutorGate : public ::testing::Test {
 protected:
  ExecutorGate() : service_(std::map<std::string, std::string>{{kId, kSecret}}) {
    WriteAll(dir_.File("vars.yaml"), "region: cn-hangzhou\n");
    TargetOptions o;
    o.url = service_.url();
    o.vars_file = dir_.File("vars.yaml");
    o.getenv = [](const char* name) -> const char* {
      std::string n = name;
      if (n == "ALIBABA_CLOUD_ACCESS_KEY_ID") return kId;
      if (n == "ALIBABA_CLOUD_ACCESS_KEY_SECRET") return kSecret;
      return nullptr;
    };
    auto t = Target::Create(o);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (t.ok()) target_ = std::move(*t);
  }

  TempDir dir_;
  FakeService service_;
  std::unique_ptr<Target> target_;
};

TEST_F(ExecutorGate, UnexpectedErrorAnswerShowsItsCodeAndMessage) {
  service_.fail_next(1);
  ScenarioFile file{"s.yaml", "gate", "", {}};
  ScenarioResult r = RunScenario(file, Make("expects success", {Call("call", "x")}), *target_, {});
  ASSERT_EQ(r.verdict, Verdict::kFailed);
  ASSERT_EQ(r.steps.at(0).failures.size(), 1u);
  EXPECT_EQ(r.steps[0].failures[0].ToString(), "status: expected 200, got 500 (InternalError: fake InternalError)");
  const Exchange& e = r.steps[0].exchanges.at(0);
  EXPECT_EQ(e.code, "InternalError");
  EXPECT_EQ(e.message, "fake InternalError");
  EXPECT_EQ(r.description, "what expects success shows");
  EXPECT_EQ(r.attempts_allowed, 1);
}

TEST_F(ExecutorGate, EveryBurstOnAnEndpointWaitsAWindowFirst) {
  std::vector<ScenarioFile> files = {
      {"s.yaml",
       "gate",
       "",
       {Make("plain", {Call("call", "p")}), Make("burst one", {Burst("b1", 3)}), Make("burst two", {Burst("b2", 4)})}}};
  std::vector<size_t> seen_at_wait;
  RunOptions options;
  options.jobs = 2;
  options.wait_throttling_window = [&] { seen_at_wait.push_back(service_.seen().size()); };
  RunResult run = RunAll(files, *target_, options);
  ASSERT_EQ(run.files.at(0).scenarios.size(), 3u);
  for (const ScenarioResult& s : run.files[0].scenarios) EXPECT_EQ(s.verdict, Verdict::kPassed) << s.message;
  // The plain scenario first; a window before the first burst too (calls
  // just before it, of this run or of an earlier one, share the limit).
  ASSERT_EQ(seen_at_wait.size(), 2u);
  EXPECT_EQ(seen_at_wait[0], 1u);
  EXPECT_EQ(seen_at_wait[1], 4u) << "after the plain call and the 3 of the first burst";
}

TEST_F(ExecutorGate, InterruptedRunEndsWithAnErroredResult) {
  std::vector<ScenarioFile> files = {
      {"s.yaml", "gate", "", {Make("a", {Call("c", "a")}), Make("b", {Call("c", "b")})}}};
  std::atomic<bool> stop{true};
  std::atomic<int> sig{2};
  RunOptions options;
  options.interrupted = &stop;
  options.interrupt_signal = &sig;
  RunResult run = RunAll(files, *target_, options);
  ASSERT_EQ(run.files.size(), 2u);
  EXPECT_EQ(run.files[0].scenarios.at(0).verdict, Verdict::kSkipped);
  const ScenarioResult& last = run.files[1].scenarios.at(0);
  EXPECT_EQ(last.classname, kRunnerClassname);
  EXPECT_EQ(last.name, "run interrupted");
  EXPECT_EQ(last.verdict, Verdict::kError);
  EXPECT_EQ(last.message,
            "interrupted by SIGINT (Ctrl-C): 2 of 2 selected scenarios did not run (reported as skipped); the "
            "results are incomplete");
  EXPECT_TRUE(service_.seen().empty());
}

}  // namespace
}  // namespace onsmqtt::runner
