// The coverage gate through the whole runner (RunCommandLine in-process):
// which documented (operation, code) pairs a run demonstrated, what the
// contract.coverage suite of the JUnit report says, and the exit code.
#include <gtest/gtest.h>

#include <sstream>

#include "runner/app.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::ReadAll;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteAll;

const std::string kSchemas = std::string(ONSMQTT_SOURCE_DIR) + "/runner/testdata/schemas/";
// One scenario: ActiveDeviceCertificate answered FindDeviceBySnError.
const char kLookupFile[] = R"(scenarios:
  - name: unknown DeviceSn is FindDeviceBySnError
    steps:
      - call: ActiveDeviceCertificate
        params:
          MqttInstanceId: ${instance.platinum.id}
          DeviceSn: 00000000000000000000000000000000
          CaSn: ${ca.a.sn}
        expect:
          code: FindDeviceBySnError
)";

struct AppRun {
  int exit_code = -1;
  std::string out, err, junit;
};

class CoverageGate : public ::testing::Test {
 protected:
  void SetUp() override { WriteAll(dir_.File("lookup.yaml"), kLookupFile); }

  AppRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--report-dir", dir_.path(), "--no-color", "--no-docs", "--no-html"});
    std::ostringstream out, err;
    AppEnvironment env;
    env.out = &out;
    env.err = &err;
    env.getenv = [](const char*) -> const char* { return nullptr; };
    AppRun r;
    r.exit_code = RunCommandLine(args, env);
    r.out = out.str();
    r.err = err.str();
    r.junit = ReadAll(dir_.File("junit.xml"));
    return r;
  }

  void ExpectValid() {
    EXPECT_EQ(SchemaErrors(dir_.File("junit.xml"), kSchemas + "JUnit.xsd"), "");
    EXPECT_EQ(SchemaErrors(dir_.File("junit.xml"), kSchemas + "junit-10.xsd"), "");
  }

  std::string Case(const std::string& pair) {
    size_t at = junit_.find("name=\"" + pair + "\"");
    if (at == std::string::npos) return "";
    size_t end = junit_.find("<testcase", at);
    return junit_.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }

  TempDir dir_;
  std::string junit_;
};

TEST_F(CoverageGate, GateFailsTheRunOnEveryPairNotDemonstrated) {
  AppRun r = Run({"--coverage", "gate", dir_.File("lookup.yaml")});
  junit_ = r.junit;
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.junit.find("<testsuite name=\"contract.coverage\""), std::string::npos);
  EXPECT_NE(r.junit.find("tests=\"79\" failures=\"78\" errors=\"0\" skipped=\"0\""), std::string::npos) << r.junit;
  EXPECT_EQ(Case("ActiveDeviceCertificate FindDeviceBySnError").find("<failure"), std::string::npos);
  std::string gap = Case("InactivateCaCertificate MqttOwnerCheckError");
  EXPECT_NE(gap.find("<failure message=\"not demonstrated: no passing scenario received MqttOwnerCheckError from "
                     "InactivateCaCertificate\" type=\"coverage\""),
            std::string::npos)
      << gap;
  EXPECT_NE(
      r.out.find("coverage: 1 of 79 documented (operation, code) pairs demonstrated (1.3%), 0 waived, 78 missing"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("MISSING  InactivateCaCertificate MqttOwnerCheckError"), std::string::npos) << r.out;
  ExpectValid();
}

TEST_F(CoverageGate, ReportListsTheGapsAsSkippedAndPasses) {
  AppRun r = Run({"--coverage", "report", dir_.File("lookup.yaml")});
  junit_ = r.junit;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.junit.find("tests=\"79\" failures=\"0\" errors=\"0\" skipped=\"78\""), std::string::npos) << r.junit;
  EXPECT_NE(Case("GetCaCertificate ApiNotSupport").find("<skipped message=\"not demonstrated by this run"),
            std::string::npos);
  ExpectValid();
}

TEST_F(CoverageGate, APartialRunLeavesItsGapsOutOfTheReport) {
  AppRun r = Run({dir_.File("lookup.yaml")});
  junit_ = r.junit;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.junit.find("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\""), std::string::npos) << r.junit;
  EXPECT_NE(Case("ActiveDeviceCertificate FindDeviceBySnError"), "");
  EXPECT_EQ(Case("GetCaCertificate ApiNotSupport"), "");
  EXPECT_NE(r.out.find("(not gated: a partial run)"), std::string::npos) << r.out;
  ExpectValid();
}

TEST_F(CoverageGate, AWaivedPairIsSkippedWithItsReason) {
  WriteAll(dir_.File("waivers.yaml"), R"(waivers:
  - operation: GetCaCertificate
    code: ApiNotSupport
    reason: the test account has no non-Platinum instance
)");
  AppRun r = Run({"--coverage", "gate", "--waivers", dir_.File("waivers.yaml"), dir_.File("lookup.yaml")});
  junit_ = r.junit;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.junit.find("failures=\"77\" errors=\"0\" skipped=\"1\""), std::string::npos) << r.junit;
  EXPECT_NE(Case("GetCaCertificate ApiNotSupport")
                .find("<skipped message=\"waived: the test account has no non-Platinum instance\"/>"),
            std::string::npos)
      << Case("GetCaCertificate ApiNotSupport");
  ExpectValid();
}

TEST_F(CoverageGate, ABrokenWaiverFileIsAUsageErrorThatSaysWhere) {
  WriteAll(dir_.File("waivers.yaml"), R"(waivers:
  - operation: GetCaCertificate
    code: FindDeviceBySnError
    reason: not documented for this operation
)");
  AppRun r = Run({"--waivers", dir_.File("waivers.yaml"), dir_.File("lookup.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("waivers.yaml:3:11: error: the contract does not document \"FindDeviceBySnError\" for "
                       "GetCaCertificate"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.junit.find("<error"), std::string::npos) << r.junit;
}

TEST_F(CoverageGate, OffWritesNoCoverageSuite) {
  AppRun r = Run({"--coverage", "off", dir_.File("lookup.yaml")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.junit.find("contract.coverage"), std::string::npos);
  EXPECT_EQ(r.out.find("coverage:"), std::string::npos) << r.out;
}

TEST_F(CoverageGate, AnUnknownModeNamesTheChoices) {
  AppRun r = Run({"--coverage", "strict", dir_.File("lookup.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--coverage wants auto, gate, report or off, got \"strict\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace onsmqtt::runner
