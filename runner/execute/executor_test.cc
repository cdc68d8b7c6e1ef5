#include "runner/execute/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

#include "runner/execute/fake_service_test_util.h"
#include "runner/report/report_console.h"
#include "runner/report/report_json.h"
#include "runner/report/report_junit.h"
#include "runner/scenario/variables.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::FakeService;
using testing::TempDir;
using testing::WriteAll;

constexpr char kOwnerId[] = "LTAIowner0001";
constexpr char kOwnerSecret[] = "ownerSecretValue0123456789";
constexpr char kToken[] = "stsTokenValue/ABC+xyz=";
constexpr char kOtherId[] = "LTAIother0002";
constexpr char kOtherSecret[] = "otherSecretValue9876543210";

Value Str(const std::string& s) {
  Value v;
  v.type = Value::Type::kString;
  v.text = s;
  return v;
}

Matcher Eq(const std::string& s) { return Matcher{MatcherKind::kEquals, Str(s), {"s.yaml", 9, 9}}; }

Step CallStep(const std::string& name, std::vector<std::pair<std::string, std::string>> params = {}) {
  Step step;
  step.name = name;
  step.call.action = "ActiveDeviceCertificate";
  for (auto& [k, v] : params) step.call.params.push_back({k, Template{v, {"s.yaml", 5, 7}}});
  step.expect.contract = false;
  step.loc = {"s.yaml", 4, 5};
  return step;
}

// Expects an error answer with `code` and `status`.
Step ErrorStep(const std::string& name, const std::string& code, int status) {
  Step step = CallStep(name, {{"DeviceSn", "sn1"}});
  step.expect.status = StatusExpectation{StatusExpectation::Kind::kAnyOf, {status}, {"s.yaml", 6, 7}};
  step.expect.code = Eq(code);
  return step;
}

Scenario MakeScenario(const std::string& name, std::vector<Step> steps) {
  Scenario s;
  s.name = name;
  s.classname = "onsmqtt.test";
  s.steps = std::move(steps);
  s.loc = {"s.yaml", 1, 3};
  RecordReferences(&s);  // as the loader does
  return s;
}

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() : service_({{kOwnerId, kOwnerSecret}, {kOtherId, kOtherSecret}}) {}

  std::unique_ptr<Target> MakeTarget(const std::string& url, bool token = false) {
    WriteAll(dir_.File("vars.yaml"), std::string("key:\n  other:\n    id: ") + kOtherId +
                                         "\n    secret: " + kOtherSecret + "\nregion: cn-hangzhou\n");
    TargetOptions o;
    o.url = url;
    o.vars_file = dir_.File("vars.yaml");
    o.getenv = [this, token](const char* name) -> const char* {
      std::string n = name;
      if (auto it = env_.find(n); it != env_.end()) return it->second.c_str();
      if (n == "ALIBABA_CLOUD_ACCESS_KEY_ID") return kOwnerId;
      if (n == "ALIBABA_CLOUD_ACCESS_KEY_SECRET") return kOwnerSecret;
      if (n == "ALIBABA_CLOUD_SECURITY_TOKEN" && token) return kToken;
      return nullptr;
    };
    auto t = Target::Create(o);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(*t) : nullptr;
  }

  ScenarioResult Run(const Scenario& s, RunOptions options = {}) {
    auto target = MakeTarget(service_.url());
    return RunScenario(file_, s, *target, options);
  }

  TempDir dir_;
  std::map<std::string, std::string> env_;  // the injected environment, besides the credentials
  FakeService service_;
  ScenarioFile file_{"s.yaml", "test", "", {}};
};

TEST_F(ExecutorTest, CallsPassAndCapturesFeedLaterSteps) {
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    Step first = CallStep("first", {{"MqttInstanceId", "post-1"}, {"DeviceSn", "sn-${region}"}});
    first.expect.body.push_back({*ParseJsonPath("$.DeviceSn"), Eq("sn-cn-hangzhou"), {"s.yaml", 7, 9}});
    first.captures.push_back({"captured", "$.DeviceSn", {"s.yaml", 8, 9}, *ParseJsonPath("$.DeviceSn")});
    Step second = CallStep("second", {{"DeviceSn", "${captured}-again"}});
    second.call.identity = "other";
    second.call.placement = ParamPlacement::kFormBody;
    second.expect.body.push_back({*ParseJsonPath("$.DeviceSn"), Eq("sn-cn-hangzhou-again"), {"s.yaml", 9, 9}});
    RunOptions options;
    options.default_scheme = scheme;
    ScenarioResult r = Run(MakeScenario("capture", {first, second}), options);
    EXPECT_EQ(r.verdict, Verdict::kPassed) << r.message;
    ASSERT_EQ(r.steps.size(), 2u);
    EXPECT_EQ(r.steps[1].exchanges.at(0).status, 200);
    EXPECT_EQ(r.steps[1].exchanges.at(0).request_id.size(), 36u);
  }
}

// ${env.X} is read from the target's injected environment, never from the
// process's.
TEST_F(ExecutorTest, EnvVariablesComeFromTheInjectedEnvironment) {
  env_["ONSMQTT_TEST_SN"] = "injected-sn";
  ASSERT_EQ(setenv("ONSMQTT_TEST_SN", "process-sn", 1), 0);
  ASSERT_EQ(setenv("ONSMQTT_TEST_PROCESS_ONLY", "process-only", 1), 0);
  Step step = CallStep("env", {{"DeviceSn", "${env.ONSMQTT_TEST_SN}"}});
  step.expect.body.push_back({*ParseJsonPath("$.DeviceSn"), Eq("injected-sn"), {"s.yaml", 7, 9}});
  ScenarioResult r = Run(MakeScenario("env", {step}));
  EXPECT_EQ(r.verdict, Verdict::kPassed) << r.message;
  Step process_only = CallStep("process only", {{"DeviceSn", "${env.ONSMQTT_TEST_PROCESS_ONLY}"}});
  r = Run(MakeScenario("process only", {process_only}));
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.message.find("environment variable ONSMQTT_TEST_PROCESS_ONLY is not set"), std::string::npos)
      << r.message;
  unsetenv("ONSMQTT_TEST_SN");
  unsetenv("ONSMQTT_TEST_PROCESS_ONLY");
}

TEST_F(ExecutorTest, AuthVariantsProvokeTheGatewayErrors) {
  struct Case {
    AuthVariant auth;
    int offset;
    std::string code;
    int status;
  };
  const Case cases[] = {
      {AuthVariant::kCorruptSignature, 0, "SignatureDoesNotMatch", 400},
      {AuthVariant::kWrongSecret, 0, "SignatureDoesNotMatch", 400},
      {AuthVariant::kMissingSignature, 0, "IncompleteSignature", 400},
      {AuthVariant::kUnknownKey, 0, "InvalidAccessKeyId.NotFound", 404},
      {AuthVariant::kValid, -1200, "InvalidTimeStamp.Expired", 400},
  };
  for (auto scheme : {SignatureScheme::kV1, SignatureScheme::kV3}) {
    for (auto placement : {ParamPlacement::kQuery, ParamPlacement::kFormBody}) {
      for (const Case& c : cases) {
        Step step = ErrorStep("broken", c.code, c.status);
        step.call.auth = c.auth;
        step.call.timestamp_offset = std::chrono::seconds(c.offset);
        step.call.scheme = scheme;
        step.call.placement = placement;
        ScenarioResult r = Run(MakeScenario("auth", {step}));
        EXPECT_EQ(r.verdict, Verdict::kPassed) << c.code << " " << SignatureSchemeName(scheme) << ": " << r.message;
      }
    }
  }
}

TEST_F(ExecutorTest, FixedNonceIsReused) {
  Step first = CallStep("first", {{"DeviceSn", "a"}});
  first.call.nonce = Template{"fixed-nonce-${region}", {}};
  Step again = ErrorStep("again", "SignatureNonceUsed", 400);
  again.call.nonce = first.call.nonce;
  ScenarioResult r = Run(MakeScenario("nonce", {first, again}));
  EXPECT_EQ(r.verdict, Verdict::kPassed) << r.message;
}

TEST_F(ExecutorTest, FailedStepReportsEveryAssertionStopsAndStillCleansUp) {
  Step step = CallStep("wrong", {{"DeviceSn", "actual"}});
  step.expect.status = StatusExpectation{StatusExpectation::Kind::kAnyOf, {500}, {"s.yaml", 11, 13}};
  step.expect.body.push_back({*ParseJsonPath("$.DeviceSn"), Eq("expected"), {"s.yaml", 12, 13}});
  Step never = CallStep("never", {{"DeviceSn", "never"}});
  Scenario s = MakeScenario("fails", {step, never});
  s.cleanup.push_back(CallStep("restore", {{"DeviceSn", "restore"}}));
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.verdict, Verdict::kFailed);
  ASSERT_EQ(r.steps.size(), 2u) << "the failing step, then cleanup; `never` is not run";
  ASSERT_EQ(r.steps[0].failures.size(), 2u);
  EXPECT_EQ(r.steps[0].failures[0].ToString(), "status: expected 500, got 200 (s.yaml:11:13)");
  EXPECT_EQ(r.steps[0].failures[1].ToString(), "$.DeviceSn: expected \"expected\", got \"actual\" (s.yaml:12:13)");
  EXPECT_TRUE(r.steps[1].cleanup);
  EXPECT_EQ(r.steps[1].verdict, Verdict::kPassed);
  EXPECT_EQ(r.message, "step \"wrong\": status: expected 500, got 200 (s.yaml:11:13) (and 1 more)");
  for (const std::string& line : service_.seen()) EXPECT_EQ(line.find("never"), std::string::npos);
  EXPECT_NE(service_.seen().back().find("restore"), std::string::npos);
}

TEST_F(ExecutorTest, UnreachableTargetIsAnError) {
  int port = testing::ClosedPort();
  auto target = MakeTarget("http://127.0.0.1:" + std::to_string(port));
  ScenarioResult r = RunScenario(file_, MakeScenario("down", {CallStep("call")}), *target, {});
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.message.find("transport error (connect)"), std::string::npos) << r.message;
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].exchanges.at(0).status, 0);
}

TEST_F(ExecutorTest, UnresolvableVariableIsAPositionedError) {
  ScenarioResult r = Run(MakeScenario("malformed", {CallStep("call", {{"DeviceSn", "${repeat:a}"}})}));
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.message.find("s.yaml:5:7"), std::string::npos) << r.message;
}

TEST_F(ExecutorTest, BurstCountsOutcomes) {
  service_.set_limit(100);
  Step burst = CallStep("burst", {{"DeviceSn", "b"}});
  burst.kind = Step::Kind::kBurst;
  burst.burst.count = 300;
  burst.burst.concurrency = 8;
  burst.burst.outcomes["success"] = {100, 100, {"s.yaml", 20, 9}, std::nullopt};
  burst.burst.outcomes["Throttling.User"] = {200, std::nullopt, {"s.yaml", 21, 9}, std::nullopt};
  burst.burst.outcomes["unanswered"] = {std::nullopt, 0, {"s.yaml", 22, 9}, std::nullopt};
  ScenarioResult r = Run(MakeScenario("burst", {burst}));
  EXPECT_EQ(r.verdict, Verdict::kPassed) << r.message;
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].burst_summary.rfind("200 Throttling.User, 100 success in ", 0), 0u) << r.steps[0].burst_summary;
  EXPECT_EQ(r.steps[0].exchanges.size(), 2u) << "one sample per outcome";

  // The limit is used up now: every call of a second burst is throttled.
  burst.burst.outcomes.erase("success");
  burst.burst.outcomes["Throttling.User"] = {std::nullopt, 50, {"s.yaml", 21, 9}, std::nullopt};
  ScenarioResult over = Run(MakeScenario("burst", {burst}));
  EXPECT_EQ(over.verdict, Verdict::kFailed);
  ASSERT_EQ(over.steps[0].failures.size(), 1u);
  EXPECT_EQ(over.steps[0].failures[0].kind, FailureKind::kOutcome);
  EXPECT_EQ(over.steps[0].failures[0].path, "Throttling.User");
  EXPECT_EQ(over.steps[0].failures[0].expected, "at most 50");
  EXPECT_EQ(over.steps[0].failures[0].actual, "300");
}

TEST_F(ExecutorTest, BurstMaxPerSecondScalesWithTheBurstsDuration) {
  service_.set_limit(100);
  Step burst = CallStep("burst", {{"DeviceSn", "b"}});
  burst.kind = Step::Kind::kBurst;
  burst.burst.count = 300;
  burst.burst.concurrency = 8;
  CountBound per_second{std::nullopt, std::nullopt, {"s.yaml", 20, 9}, 10};
  burst.burst.outcomes["success"] = per_second;
  ScenarioResult r = Run(MakeScenario("burst", {burst}));
  // The fake service admits 100 in total; the bound allows 10 for every
  // started second the burst took, so it fails with the scaled bound.
  ASSERT_EQ(r.steps.size(), 1u);
  ASSERT_EQ(r.steps[0].failures.size(), 1u) << r.steps[0].burst_summary;
  int64_t started = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(r.steps[0].seconds)));
  ASSERT_LT(10 * started, 100) << "the fake service took " << r.steps[0].seconds << " s";
  EXPECT_EQ(r.steps[0].failures[0].expected,
            "at most " + std::to_string(10 * started) + " (10 per started second of the burst)");
  EXPECT_EQ(r.steps[0].failures[0].actual, "100");
}

TEST_F(ExecutorTest, BurstBelowItsMinRateIsAHarnessError) {
  Step burst = CallStep("burst", {{"DeviceSn", "b"}});
  burst.kind = Step::Kind::kBurst;
  burst.burst.count = 20;
  burst.burst.concurrency = 1;
  burst.burst.min_rate = 1000000000;
  burst.burst.outcomes["success"] = CountBound{20, 20, {"s.yaml", 20, 9}, std::nullopt};
  ScenarioResult r = Run(MakeScenario("burst", {burst}));
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.message.find("below the min_rate of 1000000000"), std::string::npos) << r.message;
}

TEST_F(ExecutorTest, RetriesKeepEarlierAttempts) {
  service_.fail_next(1);
  Scenario s = MakeScenario("flaky", {CallStep("call", {{"DeviceSn", "x"}})});
  s.retries = 2;
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.verdict, Verdict::kPassed);
  ASSERT_EQ(r.earlier_attempts.size(), 1u);
  EXPECT_EQ(r.earlier_attempts[0].verdict, Verdict::kFailed);
  EXPECT_NE(r.earlier_attempts[0].detail.find("status: expected 200, got 500"), std::string::npos);

  service_.fail_next(5);
  RunOptions options;
  options.retries = 1;
  s.retries = -1;
  ScenarioResult failed = Run(s, options);
  EXPECT_EQ(failed.verdict, Verdict::kFailed);
  EXPECT_EQ(failed.earlier_attempts.size(), 1u);
}

TEST_F(ExecutorTest, EndpointSkipsWhatItCannotRun) {
  Scenario needs_mock = MakeScenario("needs mock", {CallStep("call")});
  needs_mock.requires_mock = true;
  needs_mock.requires_reason = "the nonce cache is the mock's";
  Scenario mutates = MakeScenario("mutates", {CallStep("call", {{"DeviceSn", "m"}})});
  mutates.mutates = true;
  ScenarioResult a = Run(needs_mock);
  EXPECT_EQ(a.verdict, Verdict::kSkipped);
  EXPECT_EQ(a.message, "needs a mock target: the nonce cache is the mock's");
  ScenarioResult b = Run(mutates);
  EXPECT_EQ(b.verdict, Verdict::kSkipped);
  EXPECT_NE(b.message.find("--allow-mutations"), std::string::npos);
  RunOptions allow;
  allow.allow_mutations = true;
  EXPECT_EQ(Run(mutates, allow).verdict, Verdict::kPassed);
  EXPECT_TRUE(service_.seen().size() == 1u) << "skipped scenarios send nothing";
}

TEST_F(ExecutorTest, EndpointSkipsScenariosUsingVariablesItLacks) {
  Scenario uses_instance =
      MakeScenario("needs an instance", {CallStep("call", {{"MqttInstanceId", "${instance.x.id}"}})});
  ScenarioResult a = Run(uses_instance);
  EXPECT_EQ(a.verdict, Verdict::kSkipped);
  EXPECT_EQ(a.message, "needs variable ${instance.x.id} (define it in the --vars file)");
  Step as_ram = CallStep("call");
  as_ram.call.identity = "ram_user";
  EXPECT_EQ(Run(MakeScenario("needs an identity", {as_ram})).message,
            "needs variable ${key.ram_user.id} (define it in the --vars file)");
  // Captures, built-ins and the (injected) environment are always there.
  env_["HOME"] = "/home/tester";
  Step first = CallStep("first", {{"DeviceSn", "${uuid}"}});
  first.captures.push_back({"sn", "$.DeviceSn", {}, *ParseJsonPath("$.DeviceSn")});
  Step second = CallStep("second", {{"DeviceSn", "${sn}-${env.HOME}-${repeat:a:3}"}});
  Step unknown_key = ErrorStep("unknown key", "InvalidAccessKeyId.NotFound", 404);
  unknown_key.call.identity = "nobody";
  unknown_key.call.auth = AuthVariant::kUnknownKey;
  EXPECT_EQ(Run(MakeScenario("defined", {first, second, unknown_key})).verdict, Verdict::kPassed);
  EXPECT_EQ(service_.seen().size(), 3u) << "skipped scenarios send nothing";
}

TEST_F(ExecutorTest, RunAllKeepsFileOrderWithManyJobs) {
  std::vector<ScenarioFile> files(2);
  for (int f = 0; f < 2; ++f) {
    files[f].path = "f" + std::to_string(f) + ".yaml";
    files[f].suite = "f" + std::to_string(f);
    for (int i = 0; i < 6; ++i) files[f].scenarios.push_back(MakeScenario("s" + std::to_string(i), {CallStep("c")}));
  }
  auto target = MakeTarget(service_.url());
  RunOptions options;
  options.jobs = 4;
  options.seed = 7;
  int callbacks = 0;
  options.on_scenario = [&](const ScenarioResult&) { ++callbacks; };
  RunResult run = RunAll(files, *target, options);
  EXPECT_EQ(callbacks, 12);
  ASSERT_EQ(run.files.size(), 2u);
  for (int f = 0; f < 2; ++f) {
    ASSERT_EQ(run.files[f].scenarios.size(), 6u);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(run.files[f].scenarios[i].name, "s" + std::to_string(i));
  }
  EXPECT_FALSE(run.interrupted);
}

TEST_F(ExecutorTest, InterruptedRunStartsNothingAndSaysSo) {
  std::vector<ScenarioFile> files = {{"f.yaml", "f", "", {MakeScenario("a", {CallStep("c")})}}};
  auto target = MakeTarget(service_.url());
  std::atomic<bool> stop{true};
  RunOptions options;
  options.interrupted = &stop;
  RunResult run = RunAll(files, *target, options);
  EXPECT_TRUE(run.interrupted);
  ASSERT_EQ(run.files.at(0).scenarios.size(), 1u);
  EXPECT_EQ(run.files[0].scenarios[0].verdict, Verdict::kSkipped);
  EXPECT_EQ(run.files[0].scenarios[0].message, "not run: the run was interrupted");
  EXPECT_TRUE(service_.seen().empty());
}

// Secrets, the security token and every signature the server received must
// not appear in any report, whatever the outcome.
TEST_F(ExecutorTest, NoSecretOrSignatureReachesAnyReport) {
  auto target = MakeTarget(service_.url(), /*token=*/true);
  Step fail = CallStep("fails", {{"DeviceSn", std::string(kOtherSecret)}});  // a secret echoed in the body
  fail.expect.status = StatusExpectation{StatusExpectation::Kind::kAnyOf, {500}, {}};
  fail.expect.body.push_back({*ParseJsonPath("$.DeviceSn"), Eq("${key.other.secret}x"), {}});
  Step corrupt = ErrorStep("corrupt", "NotThis", 400);
  corrupt.call.auth = AuthVariant::kCorruptSignature;
  corrupt.call.scheme = SignatureScheme::kV1;
  std::vector<ScenarioFile> files = {{"f.yaml", "f", "", {MakeScenario("a", {fail}), MakeScenario("b", {corrupt})}}};
  RunResult run = RunAll(files, *target, {});
  ASSERT_EQ(run.files.at(0).scenarios.at(0).verdict, Verdict::kFailed);
  ASSERT_EQ(run.files.at(0).scenarios.at(1).verdict, Verdict::kFailed);
  std::ostringstream console;
  ConsoleReporter reporter(console, {false, false, ""});
  for (const ScenarioResult& s : run.files[0].scenarios) reporter.ScenarioFinished(s);
  reporter.Summary(run, "");
  std::string all = console.str() + RenderJUnit(run) + RenderJUnit(run, JUnitFlavour::kExtended) + RenderJson(run);
  std::vector<std::string> hidden = {kOwnerSecret, kOtherSecret, kToken, PercentEncode(kToken)};
  for (const std::string& sig : service_.signatures()) hidden.push_back(sig), hidden.push_back(PercentEncode(sig));
  ASSERT_GE(service_.signatures().size(), 2u);
  for (const std::string& h : hidden) EXPECT_EQ(all.find(h), std::string::npos) << h << " leaked";
  EXPECT_NE(console.str().find("curl "), std::string::npos);
  EXPECT_NE(console.str().find("***"), std::string::npos);
}

}  // namespace
}  // namespace onsmqtt::runner
