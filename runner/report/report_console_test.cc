#include "runner/report/report_console.h"

#include <gtest/gtest.h>

#include <sstream>

#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

ScenarioResult Failed() {
  ScenarioResult r;
  r.name = "wrong code";
  r.classname = "onsmqtt.adc.errors";
  r.file = "scenarios/adc/errors.yaml";
  r.line = 12;
  r.seconds = 0.0125;
  r.verdict = Verdict::kFailed;
  StepResult s;
  s.name = "activate";
  s.verdict = Verdict::kFailed;
  s.failures.push_back({FailureKind::kCode,
                        "$.Code",
                        "\"FindDeviceBySnError\"",
                        "\"MqttInstanceNotFound\"",
                        {"scenarios/adc/errors.yaml", 16, 11}});
  Exchange e;
  e.status = 500;
  e.request_id = "0A1B2C3D-0000-4000-8000-00000000000A";
  e.curl = "curl -sS -X POST 'http://127.0.0.1:1/?Signature=***'";
  s.exchanges.push_back(e);
  r.steps.push_back(s);
  return r;
}

TEST(ConsoleReporter, FailureShowsDiffPositionAndCurl) {
  std::ostringstream out;
  ConsoleReporter c(out, {false, false, ""});
  c.ScenarioFinished(Failed());
  EXPECT_EQ(out.str(),
            "  FAIL   onsmqtt.adc.errors  wrong code  (0.013 s)\n"
            "        scenarios/adc/errors.yaml:12\n"
            "        step \"activate\"\n"
            "          $.Code  (code)  at scenarios/adc/errors.yaml:16:11\n"
            "            expected: \"FindDeviceBySnError\"\n"
            "            actual:   \"MqttInstanceNotFound\"\n"
            "          status 500, RequestId 0A1B2C3D-0000-4000-8000-00000000000A\n"
            "          request (not replayable: signature redacted, nonce and timestamp already used):\n"
            "            curl -sS -X POST 'http://127.0.0.1:1/?Signature=***'\n");
}

TEST(ConsoleReporter, FailureShowsDescriptionErrorAnswerAttemptsAndReRun) {
  ScenarioResult r = Failed();
  r.description = "an unknown instance is MqttInstanceNotFound";
  r.steps[0].exchanges[0].code = "MqttInstanceNotFound";
  r.steps[0].exchanges[0].message = "Specified instance is not found";
  r.attempts_allowed = 2;
  r.earlier_attempts.push_back({Verdict::kError, "step \"activate\": transport error", "", 0.1});
  std::ostringstream out;
  ConsoleReporter c(out, {false, false, "build/runner/onsmqtt-runner --target http://127.0.0.1:8080"});
  c.ScenarioFinished(r);
  EXPECT_EQ(out.str(),
            "  FAIL   onsmqtt.adc.errors  wrong code  (0.013 s)  after 2 attempts\n"
            "        scenarios/adc/errors.yaml:12\n"
            "        an unknown instance is MqttInstanceNotFound\n"
            "        step \"activate\"\n"
            "          $.Code  (code)  at scenarios/adc/errors.yaml:16:11\n"
            "            expected: \"FindDeviceBySnError\"\n"
            "            actual:   \"MqttInstanceNotFound\"\n"
            "          status 500, RequestId 0A1B2C3D-0000-4000-8000-00000000000A, Code MqttInstanceNotFound: "
            "Specified instance is not found\n"
            "          request (not replayable: signature redacted, nonce and timestamp already used):\n"
            "            curl -sS -X POST 'http://127.0.0.1:1/?Signature=***'\n"
            "        failed on attempt 2 of 2\n"
            "        attempt 1 errored: step \"activate\": transport error\n"
            "        re-run: build/runner/onsmqtt-runner --target http://127.0.0.1:8080 scenarios/adc/errors.yaml "
            "--filter '^onsmqtt\\.adc\\.errors\\.wrong code$'\n");
}

TEST(RerunCommand, QuotesOnlyWhatNeedsIt) {
  ScenarioResult r;
  r.file = "scenarios/a b.yaml";
  r.classname = "onsmqtt.x";
  r.name = "it's (1+1)";
  EXPECT_EQ(RerunCommand("onsmqtt-runner", r),
            "onsmqtt-runner 'scenarios/a b.yaml' --filter '^onsmqtt\\.x\\.it'\\''s \\(1\\+1\\)$'");
  EXPECT_EQ(RerunCommand("", r), "");
  EXPECT_EQ(ShellWord("scenarios/x.yaml"), "scenarios/x.yaml");
  EXPECT_EQ(ShellWord(""), "''");
}

TEST(ConsoleReporter, ColourOnlyWhenAsked) {
  std::ostringstream plain, coloured;
  ConsoleReporter(plain, {false, false, ""}).ScenarioFinished(Failed());
  ConsoleReporter(coloured, {true, false, ""}).ScenarioFinished(Failed());
  EXPECT_EQ(plain.str().find('\x1b'), std::string::npos);
  EXPECT_NE(coloured.str().find("\x1b[31mFAIL \x1b[0m"), std::string::npos);
  EXPECT_EQ(StripAnsi(coloured.str()), plain.str()) << "colour adds nothing but escapes";
}

TEST(ConsoleReporter, RetriedScenariosSayHowManyAttempts) {
  ScenarioResult r;
  r.name = "flaky";
  r.classname = "c";
  r.earlier_attempts.push_back({Verdict::kFailed, "x", "y", 0.1});
  std::ostringstream out;
  ConsoleReporter(out, {false, false, ""}).ScenarioFinished(r);
  EXPECT_EQ(out.str(), "  PASS   c  flaky  (0.000 s)  after 2 attempts\n");
}

TEST(UseColor, NoColorAndTtyRules) {
  EXPECT_TRUE(UseColor(true, nullptr, false));
  EXPECT_TRUE(UseColor(true, "", false)) << "an empty NO_COLOR does not count (no-color.org)";
  EXPECT_FALSE(UseColor(true, "1", false));
  EXPECT_FALSE(UseColor(false, nullptr, false));
  EXPECT_FALSE(UseColor(true, nullptr, true));
}

TEST(ConsoleReporter, QuietPrintsOnlyProblemsAndSummary) {
  ScenarioResult pass;
  pass.name = "ok";
  pass.classname = "c";
  ScenarioResult skip = pass;
  skip.verdict = Verdict::kSkipped;
  skip.message = "needs a mock target";
  std::ostringstream out;
  ConsoleReporter c(out, {false, true, ""});
  c.ScenarioFinished(pass);
  c.ScenarioFinished(skip);
  EXPECT_EQ(out.str(), "");
  RunResult run;
  run.info.target_kind = "mock";
  run.info.seed = 3;
  run.seconds = 1.25;
  run.files.push_back({"f.yaml", "f", {pass, skip, Failed()}, {}, 0});
  c.Summary(run, "JUnit report: reports/junit.xml");
  EXPECT_EQ(out.str(),
            "\n3 scenarios: 1 passed, 1 failed, 0 errors, 1 skipped in 1.250 s against mock (seed 3)\n"
            "JUnit report: reports/junit.xml\n");
}

TEST(ConsoleReporter, SkipShowsReasonAndErrorShowsCause) {
  ScenarioResult skip;
  skip.name = "stale";
  skip.classname = "c";
  skip.verdict = Verdict::kSkipped;
  skip.message = "needs a mock target: fixture state";
  ScenarioResult err = skip;
  err.verdict = Verdict::kError;
  err.file = "f.yaml";
  StepResult s;
  s.name = "call";
  s.verdict = Verdict::kError;
  s.error = "transport error (connect): cannot reach http://127.0.0.1:9";
  s.error_kind = ErrorKind::kTransport;
  err.steps.push_back(s);
  std::ostringstream out;
  ConsoleReporter c(out, {false, false, ""});
  c.ScenarioFinished(skip);
  c.ScenarioFinished(err);
  EXPECT_EQ(out.str(),
            "  SKIP   c  stale  (0.000 s)  needs a mock target: fixture state\n"
            "  ERROR  c  stale  (0.000 s)\n"
            "        f.yaml\n"
            "        step \"call\"\n"
            "          error: transport error (connect): cannot reach http://127.0.0.1:9\n");
}

TEST(ConsoleReporter, SummaryCountsAreSingularForOne) {
  ScenarioResult err;
  err.name = "e";
  err.classname = "c";
  err.verdict = Verdict::kError;
  RunResult run;
  run.info.target_kind = "mock";
  run.files.push_back({"f.yaml", "f", {err}, {}, 0});
  std::ostringstream out;
  ConsoleReporter(out, {false, true, ""}).Summary(run, "");
  EXPECT_EQ(out.str(), "\n1 scenario: 0 passed, 0 failed, 1 error, 0 skipped in 0.000 s against mock (seed 0)\n");
}

TEST(Plural, OneIsSingular) {
  EXPECT_EQ(Plural(0, "error"), "0 errors");
  EXPECT_EQ(Plural(1, "error"), "1 error");
  EXPECT_EQ(Plural(2, "file"), "2 files");
  EXPECT_EQ(Plural(1, "call"), "1 call");
}

TEST(FormatSeconds, FixedPointWithDot) {
  const std::pair<double, const char*> cases[] = {
      {0, "0.000"},    {0.0004, "0.000"},          {0.0125, "0.013"}, {1.5, "1.500"},
      {1e-9, "0.000"}, {123456.789, "123456.789"}, {-1, "0.000"},     {1e7, "10000000.000"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(FormatSeconds(in), out) << in;
}

}  // namespace
}  // namespace onsmqtt::runner
