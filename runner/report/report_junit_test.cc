#include "runner/report/report_junit.h"

#include <gtest/gtest.h>

#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::ReadAll;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteAll;

const std::string kGolden = std::string(ONSMQTT_SOURCE_DIR) + "/runner/testdata/golden/";
const std::string kSchemas = std::string(ONSMQTT_SOURCE_DIR) + "/runner/testdata/schemas/";

TimePoint At(int64_t epoch_seconds, int millis = 0) {
  return TimePoint(std::chrono::seconds(epoch_seconds) + std::chrono::milliseconds(millis));
}

SourceLocation Loc(const std::string& file, int line, int col) { return {file, line, col}; }

Exchange MakeExchange(int status, const std::string& id, const std::string& code) {
  Exchange e;
  e.request_line = "POST /?MqttInstanceId=post-cn-platinum01&DeviceSn=aa&CaSn=bb";
  e.curl = "curl -sS -X POST 'http://127.0.0.1:1/?MqttInstanceId=post-cn-platinum01'";
  e.status = status;
  e.request_id = id;
  e.code = code;
  return e;
}

// A run with every verdict, a retried scenario, a burst, a cleanup problem,
// and text that needs escaping. Times come from fixed values, not a clock.
RunResult SampleRun() {
  RunResult run;
  run.info = {"mock", "embedded", "cn-hangzhou", "2020-04-20", "0.1.0", "ci-host", 42, "build/runner/onsmqtt-runner",
              ""};
  run.started = At(1795000000);
  run.seconds = 1.5;

  FileResult a;
  a.path = "scenarios/active_device_certificate/success.yaml";
  a.suite = "active_device_certificate.success";
  a.started = At(1795000000, 250);
  a.seconds = 0.0625;
  ScenarioResult pass;
  pass.name = "activates an inactive certificate";
  pass.classname = "onsmqtt.active_device_certificate.success";
  pass.file = a.path;
  pass.line = 3;
  pass.seconds = 0.0125;
  StepResult burst;
  burst.name = "burst";
  burst.burst_summary = "500 success, 600 Throttling.User in 0.210 s (5238 calls/s)";
  pass.steps.push_back(burst);
  StepResult connect;
  connect.name = "the device is refused";
  ConnectRecord connect_record;
  connect_record.server = "127.0.0.1:8883";
  connect_record.server_name = "post-cn-platinum01.mqtt.aliyuncs.com";
  connect_record.protocol = "5.0";
  connect_record.client_id = "GID_onsmqtt@@@0a1b2c3d4e5f";
  connect_record.certificate_sn = "1f2e3d4c5b6a79880f1e2d3c4b5a6978";
  connect_record.certificate_cn = "device-a-unregistered";
  connect_record.chain = 1;
  connect_record.tls_version = "TLSv1.2";
  connect_record.outcome = "connack 135 (not authorized)";
  connect_record.handshake_seconds = 0.004;
  connect_record.seconds = 0.0125;
  connect.connect = connect_record;
  pass.steps.push_back(connect);
  ScenarioResult fail;
  fail.name = "wrong <code> & \"quotes\"";
  fail.classname = "onsmqtt.active_device_certificate.success";
  fail.file = a.path;
  fail.line = 20;
  fail.seconds = 0.05;
  fail.verdict = Verdict::kFailed;
  fail.description = "a wrong <Code> is a failure";
  fail.attempts_allowed = 2;
  StepResult step;
  step.name = "activate";
  step.verdict = Verdict::kFailed;
  step.failures.push_back({FailureKind::kCode, "$.Code", "\"FindDeviceBySnError\"", "\"Ok\"", Loc(a.path, 27, 13)});
  step.failures.push_back({FailureKind::kStatus, "status", "one of [500]", "200\x1b[31m\x01", Loc(a.path, 26, 13)});
  step.exchanges.push_back(MakeExchange(500, "0A1B2C3D-0000-4000-8000-00000000000A", "MqttInstanceNotFound"));
  step.exchanges.back().message = "Specified instance is not found";
  fail.steps.push_back(step);
  StepResult cleanup;
  cleanup.name = "cleanup: reactivate";
  cleanup.cleanup = true;
  cleanup.verdict = Verdict::kError;
  cleanup.error = "transport error (connect): cannot reach http://127.0.0.1:1";
  cleanup.error_kind = ErrorKind::kTransport;
  fail.steps.push_back(cleanup);
  fail.message = "step \"activate\": $.Code: expected \"FindDeviceBySnError\", got \"Ok\" (and 1 more)";
  fail.earlier_attempts.push_back({Verdict::kFailed, "first attempt failed", "line 1\nline 2\n", 0.02});
  a.scenarios = {pass, fail};

  FileResult b;
  b.path = "scenarios/auth/signature.yaml";
  b.suite = "auth.signature";
  b.started = At(1795000001);
  b.seconds = 0.002;
  ScenarioResult skipped;
  skipped.name = "stale timestamp";
  skipped.classname = "onsmqtt.auth.signature";
  skipped.file = b.path;
  skipped.line = 8;
  skipped.verdict = Verdict::kSkipped;
  skipped.message = "needs a mock target: the nonce cache is the mock's";
  ScenarioResult error;
  error.name = "unreachable";
  error.classname = "onsmqtt.auth.signature";
  error.file = b.path;
  error.line = 30;
  error.seconds = 0.002;
  error.verdict = Verdict::kError;
  StepResult broken;
  broken.name = "call";
  broken.verdict = Verdict::kError;
  broken.error = "transport error (connect): cannot reach http://127.0.0.1:1: Could not establish connection";
  broken.error_kind = ErrorKind::kTransport;
  broken.exchanges.push_back(MakeExchange(0, "", ""));
  error.steps.push_back(broken);
  error.message = "step \"call\": " + broken.error;
  ScenarioResult flaky = pass;
  flaky.name = "flaky";
  flaky.classname = "onsmqtt.auth.signature";
  flaky.file = b.path;
  flaky.line = 40;
  flaky.description = "passes on a retry";
  flaky.attempts_allowed = 3;
  flaky.earlier_attempts.push_back({Verdict::kError, "timed out", "step \"x\":\n  error: timed out\n", 1.0});
  b.scenarios = {skipped, error, flaky};
  run.files = {a, b};
  return run;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// Set ONSMQTT_UPDATE_GOLDEN=1 to rewrite the golden files after a
// deliberate format change; review the diff before committing.
void ExpectGolden(const std::string& name, const std::string& actual) {
  if (std::getenv("ONSMQTT_UPDATE_GOLDEN") != nullptr) WriteAll(kGolden + name, actual);
  EXPECT_EQ(actual, ReadAll(kGolden + name)) << "golden file " << name << " differs";
}

TEST(JUnitReport, StrictMatchesGolden) { ExpectGolden("junit_strict.xml", RenderJUnit(SampleRun())); }

TEST(JUnitReport, ExtendedMatchesGolden) {
  ExpectGolden("junit_extended.xml", RenderJUnit(SampleRun(), JUnitFlavour::kExtended));
}

TEST(JUnitReport, StrictIsValidAgainstBothSchemas) {
  TempDir dir;
  WriteAll(dir.File("junit.xml"), RenderJUnit(SampleRun()));
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "junit-10.xsd"), "");
}

TEST(JUnitReport, EmptyRunIsValidAgainstBothSchemas) {
  TempDir dir;
  RunResult run;
  WriteAll(dir.File("junit.xml"), RenderJUnit(run));
  EXPECT_EQ(ReadAll(dir.File("junit.xml")),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n</testsuites>\n");
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "junit-10.xsd"), "");
}

TEST(JUnitReport, ExtendedIsRejectedByTheAntSchemaBecauseOfFileAndLine) {
  // The reason the extended flavour is opt-in: proves the strict test above
  // would notice such attributes.
  TempDir dir;
  WriteAll(dir.File("junit.xml"), RenderJUnit(SampleRun(), JUnitFlavour::kExtended));
  EXPECT_NE(SchemaErrors(dir.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
}

TEST(JUnitReport, CountsAgreeWithTheTestcasesInBothFlavours) {
  for (JUnitFlavour flavour : {JUnitFlavour::kStrict, JUnitFlavour::kExtended}) {
    EXPECT_EQ(testing::JUnitCountErrors(RenderJUnit(SampleRun(), flavour)), "");
  }
}

TEST(JUnitReport, ExtendedTestsuitesCarriesTheRunAsAWhole) {
  std::string extended = RenderJUnit(SampleRun(), JUnitFlavour::kExtended);
  EXPECT_NE(extended.find("<testsuites name=\"OnsMqtt 2020-04-20 conformance against the embedded mock\" tests=\"5\" "
                          "failures=\"1\" errors=\"1\" skipped=\"1\" time=\"1.500\" "
                          "timestamp=\"2026-11-18T11:06:40\">"),
            std::string::npos)
      << extended;
  EXPECT_NE(RenderJUnit(SampleRun()).find("\n<testsuites>\n"), std::string::npos) << "the Ant schema allows none";
}

TEST(JUnitReport, StrictKeepsATraceOfARetriedPassInSystemOut) {
  std::string strict = RenderJUnit(SampleRun());
  EXPECT_NE(strict.find("onsmqtt.auth.signature.flaky: passed (0.013 s)\n  description: passes on a retry\n"
                        "  passed on attempt 2 of 3\n  attempt 1 errored: timed out\n"),
            std::string::npos)
      << strict;
  EXPECT_NE(strict.find("failed on attempt 2 of 2\nattempt 1 failed: first attempt failed\n"), std::string::npos)
      << "in the failure's body";
}

TEST(JUnitReport, FailureNamesTheDescriptionTheErrorAndHowToReRun) {
  for (JUnitFlavour flavour : {JUnitFlavour::kStrict, JUnitFlavour::kExtended}) {
    std::string xml = RenderJUnit(SampleRun(), flavour);
    EXPECT_NE(xml.find("type=\"code\">description: a wrong &lt;Code&gt; is a failure\nstep"), std::string::npos);
    EXPECT_NE(xml.find("  status: 500, RequestId: 0A1B2C3D-0000-4000-8000-00000000000A, Code: MqttInstanceNotFound, "
                       "Message: Specified instance is not found\n"),
              std::string::npos);
    EXPECT_NE(xml.find("re-run: build/runner/onsmqtt-runner scenarios/active_device_certificate/success.yaml "
                       "--filter &apos;^onsmqtt\\.active_device_certificate\\.success\\.wrong &lt;code&gt; &amp; "
                       "&quot;quotes&quot;$&apos;\n"),
              std::string::npos)
        << xml;
  }
  std::string extended = RenderJUnit(SampleRun(), JUnitFlavour::kExtended);
  EXPECT_NE(extended.find("<system-out>description: passes on a retry\npassed on attempt 2 of 3\n"), std::string::npos)
      << "the testcase's own output, where the consumers that read it show it";
}

struct EscapeCase {
  std::string in;
  bool attribute;
  std::string out;
};

TEST(XmlEscape, Table) {
  const EscapeCase cases[] = {
      {"a & b < c > d \" e ' f", false, "a &amp; b &lt; c &gt; d &quot; e &apos; f"},
      {"tab\tlf\ncr\r", false, "tab\tlf\ncr\r"},
      {"tab\tlf\ncr\r", true, "tab lf cr "},
      {"\x1b[31mred\x1b[0m", false, "red"},      // ANSI colour stripped
      {"\x1b]0;title\x07text", false, "text"},   // OSC stripped
      {"bell\x07 nul", false, "bell\\x07 nul"},  // control char shown visibly
      {std::string("nul\0x", 5), false, "nul\\x00x"},
      {"lone \x1b escape", false, "lone \\x1b escape"},
      {"caf\xc3\xa9 \xe2\x9c\x93", false, "caf\xc3\xa9 \xe2\x9c\x93"},  // valid UTF-8 kept
      {"bad \xff\xfe utf8", false, "bad \\xff\\xfe utf8"},
      {"overlong \xc0\xaf", false, "overlong \\xc0\\xaf"},
      {"surrogate \xed\xa0\x80", false, "surrogate \\xed\\xa0\\x80"},
      {"del \x7f", false, "del \\x7f"},
      {"]]>", false, "]]&gt;"},
  };
  for (const auto& c : cases) EXPECT_EQ(XmlEscape(c.in, c.attribute), c.out) << c.in;
}

TEST(JUnitReport, ControlCharactersNeverReachTheDocument) {
  RunResult run = SampleRun();
  run.files[0].scenarios[1].steps[0].failures[0].actual = std::string("\x01\x02\x1b[1m\x0b\x0c\0", 9);
  std::string xml = RenderJUnit(run);
  for (char c : xml) {
    unsigned char u = static_cast<unsigned char>(c);
    EXPECT_FALSE(u < 0x20 && c != '\n' && c != '\t' && c != '\r') << "control byte " << int(u);
  }
  TempDir dir;
  WriteAll(dir.File("junit.xml"), xml);
  EXPECT_EQ(SchemaErrors(dir.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
}

TEST(JUnitReport, ClassnameAndNamePairsStayUnique) {
  RunResult run = SampleRun();
  FileResult copy = run.files[1];
  copy.path = "scenarios/auth/copy.yaml";
  run.files.push_back(copy);  // the same classnames and names again
  std::string xml = RenderJUnit(run);
  EXPECT_EQ(Count(xml, "name=\"stale timestamp\""), 1u);
  EXPECT_NE(xml.find("name=\"stale timestamp (scenarios/auth/signature.yaml:8)\""), std::string::npos) << xml;
}

TEST(WriteFileAtomically, CreatesFoldersAndReplaces) {
  TempDir dir;
  std::string path = dir.File("a/b/junit.xml");
  ASSERT_TRUE(WriteFileAtomically(path, "one").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "two").ok());
  EXPECT_EQ(ReadAll(path), "two");
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.File("a/b"))) entries += e.is_regular_file();
  EXPECT_EQ(entries, 1u) << "no temporary file is left behind";
}

TEST(WriteFileAtomically, ReportsUnwritablePaths) {
  TempDir dir;
  WriteAll(dir.File("file"), "x");
  Status s = WriteFileAtomically(dir.File("file/junit.xml"), "x");
  EXPECT_EQ(s.code(), Status::Code::kIoError);
}

}  // namespace
}  // namespace onsmqtt::runner
