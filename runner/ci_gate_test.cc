// The CI gate: no run that did not pass may leave a report that a consumer
// shows green. The whole runner in-process (RunCommandLine), with its
// reports in a temporary folder.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "runner/app.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::JUnitCountErrors;
using testing::ReadAll;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteAll;

const std::string kSchemas = std::string(ONSMQTT_SOURCE_DIR) + "/runner/testdata/schemas/";
const std::string kGreen =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"old\" "
    "tests=\"100\" failures=\"0\" errors=\"0\"></testsuite>\n</testsuites>\n";

struct AppRun {
  int exit_code = -1;
  std::string out, err, junit, json;
};

class CiGate : public ::testing::Test {
 protected:
  // Runs with the reports in the temporary folder; an earlier run's green
  // report and JSON are there first.
  AppRun Run(std::vector<std::string> args, bool interrupted = false) {
    WriteAll(dir_.File("junit.xml"), kGreen);
    WriteAll(dir_.File("report.json"), "{\"old\": true}\n");
    args.insert(args.begin(), {"--report-dir", dir_.path(), "--json", dir_.File("report.json"), "--no-color"});
    std::ostringstream out, err;
    std::atomic<bool> stop{interrupted};
    std::atomic<int> signal{interrupted ? 15 : 0};
    AppEnvironment env;
    env.out = &out;
    env.err = &err;
    env.getenv = [](const char*) -> const char* { return nullptr; };
    env.interrupted = &stop;
    env.interrupt_signal = &signal;
    AppRun r;
    r.exit_code = RunCommandLine(args, env);
    r.out = out.str();
    r.err = err.str();
    r.junit = ReadAll(dir_.File("junit.xml"));
    r.json = ReadAll(dir_.File("report.json"));
    return r;
  }

  void ExpectValid(const AppRun& r) {
    EXPECT_EQ(SchemaErrors(dir_.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
    EXPECT_EQ(SchemaErrors(dir_.File("junit.xml"), kSchemas + "junit-10.xsd"), "");
    EXPECT_EQ(JUnitCountErrors(r.junit), "");
  }

  TempDir dir_;
};

TEST_F(CiGate, InterruptedRunHasAnErrorTestcase) {
  AppRun r = Run({"runner/testdata/failing/skipped.yaml"}, /*interrupted=*/true);
  EXPECT_EQ(r.exit_code, kExitHarness) << r.err;
  EXPECT_NE(r.junit.find("<testcase classname=\"onsmqtt.runner\" name=\"run interrupted\""), std::string::npos)
      << r.junit;
  EXPECT_NE(r.junit.find("<error message=\"interrupted by SIGTERM: 1 of 1 selected scenario did not run (reported "
                         "as skipped); the results are incomplete\" type=\"interrupted\">"),
            std::string::npos)
      << r.junit;
  EXPECT_NE(r.junit.find("<skipped message=\"not run: the run was interrupted\"/>"), std::string::npos);
  ExpectValid(r);
  nlohmann::json j = nlohmann::json::parse(r.json);
  EXPECT_EQ(j.at("interrupted"), true);
  EXPECT_EQ(j.at("counts").at("error"), 1);
  EXPECT_NE(r.out.find("  ERROR  onsmqtt.runner  run interrupted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 error, 1 skipped"), std::string::npos) << r.out;
}

TEST_F(CiGate, UsageErrorReplacesTheReportsOfAnEarlierRun) {
  AppRun r = Run({"--jobs", "0"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("-j"), std::string::npos) << r.err;
  EXPECT_EQ(r.junit.find("tests=\"100\""), std::string::npos) << "the earlier green report is gone";
  EXPECT_NE(r.junit.find("name=\"command line\""), std::string::npos) << r.junit;
  EXPECT_NE(r.junit.find("<error message=\"usage error: --jobs must be between 1 and 256, got 0\" type=\"usage\">"),
            std::string::npos)
      << r.junit;
  ExpectValid(r);
  EXPECT_EQ(nlohmann::json::parse(r.json).at("counts").at("error"), 1);
}

TEST_F(CiGate, BadTargetOptionsReplaceTheReportsToo) {
  AppRun r = Run({"--fixture", "does/not/exist.yaml"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.junit.find("type=\"usage\""), std::string::npos) << r.junit;
  EXPECT_NE(r.junit.find("does/not/exist.yaml"), std::string::npos) << r.junit;
  ExpectValid(r);
}

TEST_F(CiGate, CheckAndListNeverWriteReports) {
  AppRun r = Run({"--check", "--jobs", "0"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_EQ(r.junit, kGreen) << "--check is no run: it leaves the reports alone";
}

TEST_F(CiGate, UnknownTagSelectsNothingAndExitsFour) {
  AppRun r = Run({"--tags", "nosuchtag, throtling", "scenarios/"});
  EXPECT_EQ(r.exit_code, kExitNothingSelected) << r.err;
  EXPECT_NE(r.err.find("no scenario has the tags \"nosuchtag\", \"throtling\"; for \"throtling\" did you mean "
                       "\"throttling\"?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--allow-empty"), std::string::npos) << r.err;
  EXPECT_NE(r.junit.find("type=\"selection\""), std::string::npos) << r.junit;
  ExpectValid(r);
}

TEST_F(CiGate, TagsAreTrimmed) {
  AppRun r = Run({"--tags", " throttling , nonce", "--list"});
  EXPECT_EQ(r.exit_code, kExitPassed) << r.err;
  EXPECT_NE(r.out.find("throttling"), std::string::npos) << r.out;
}

TEST_F(CiGate, FilterTypoEmptyFolderAndListExitFour) {
  AppRun typo = Run({"--filter", "^no such scenario$"});
  EXPECT_EQ(typo.exit_code, kExitNothingSelected);
  EXPECT_NE(typo.err.find("--filter '^no such scenario$' matches none of the"), std::string::npos) << typo.err;
  TempDir empty;
  AppRun folder = Run({empty.path()});
  EXPECT_EQ(folder.exit_code, kExitNothingSelected);
  EXPECT_NE(folder.err.find("no scenario file"), std::string::npos) << folder.err;
  EXPECT_NE(folder.junit.find("type=\"selection\""), std::string::npos);
  EXPECT_EQ(Run({"--check", empty.path()}).exit_code, kExitNothingSelected);
  AppRun list = Run({"--list", "--tags", "nosuchtag"});
  EXPECT_EQ(list.exit_code, kExitNothingSelected);
  EXPECT_EQ(list.junit, kGreen) << "--list writes no report";
}

TEST_F(CiGate, AllowEmptyAcceptsAnEmptySelection) {
  AppRun r = Run({"--tags", "nosuchtag", "--allow-empty"});
  EXPECT_EQ(r.exit_code, kExitPassed) << r.err;
  EXPECT_EQ(r.junit, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n</testsuites>\n");
  EXPECT_NE(r.out.find("0 scenarios"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace onsmqtt::runner
