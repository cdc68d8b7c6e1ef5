// End to end, client mode (--client): the onsmqtt-runner binary driving
// real scenarios through the adapters of runner/testdata/adapters/: a real
// V1-signing client (correct, and with one flaw at a time), and canned
// adapters that break the protocol. Every run is bounded by the adapter
// timeouts; none may hang or crash the runner, or leak a secret.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "contract/yaml_tree.h"
#include "runner/test_child.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::Child;
using testing::Count;
using testing::ReadAll;
using testing::TempDir;

const std::string kRunner = ONSMQTT_RUNNER_BIN;
const std::string kSigner = "python3 runner/testdata/adapters/v1_signer.py";
const std::string kCanned = "python3 runner/testdata/adapters/canned.py";
// The shipped throttling burst needs 1000 calls/s (min_rate), more than a
// one-at-a-time Python client reaches on a loaded machine; a small burst
// (runner/testdata/client/burst.yaml) stands in for it.
const std::string kNoRateBurst = "^(?!.*throttling)";

struct ClientRun {
  int exit_code;
  std::string output;
  std::string junit;
  std::string json;
  std::string html;
};

ClientRun RunClient(const TempDir& dir, const std::string& client, std::vector<std::string> args) {
  std::vector<std::string> argv = {kRunner,    "--report-dir", dir.path(),  "--json", dir.File("report.json"),
                                   "--client", client,         "--no-docs", "-j",     "2"};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv);
  int code = child.Wait();
  return {code, child.output(), ReadAll(dir.File("junit.xml")), ReadAll(dir.File("report.json")),
          ReadAll(dir.File("index.html"))};
}

std::vector<std::string> FixtureSecrets() {
  std::vector<std::string> out;
  auto root = yaml::ParseFile("fixtures/default.yaml");
  if (!root.ok()) return out;
  const yaml::Node* keys = root->Find("access_keys");
  if (keys == nullptr) return out;
  for (const auto& [name, key] : keys->entries) {
    if (const yaml::Node* secret = key.Find("secret")) out.push_back(secret->scalar);
  }
  return out;
}

void ExpectNoSecrets(const ClientRun& run) {
  std::vector<std::string> secrets = FixtureSecrets();
  ASSERT_FALSE(secrets.empty());
  for (const std::string& s : secrets) {
    for (const std::string* text : {&run.output, &run.junit, &run.json, &run.html}) {
      EXPECT_EQ(text->find(s), std::string::npos) << "secret " << s << " leaked";
    }
  }
}

TEST(ClientE2E, ARealClientPassesTheScenariosItCanRunAndTheRestAreSkippedWithTheReason) {
  TempDir dir;
  ClientRun run = RunClient(dir, kSigner,
                            {"--filter", kNoRateBurst, "scenarios/active_device_certificate/",
                             "scenarios/operations/examples.yaml", "runner/testdata/client/burst.yaml"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.rfind("client: py-v1-signer-0.1 (schemes v1; methods GET, POST; formats JSON)", 0), 0u)
      << run.output;
  EXPECT_NE(run.output.find("needs the runner's own client: step 1 (ActiveDeviceCertificate) corrupts the signature"),
            std::string::npos);
  EXPECT_NE(run.output.find("the client py-v1-signer-0.1 cannot sign with v3"), std::string::npos);
  EXPECT_EQ(Count(run.output, "  FAIL  ") + Count(run.output, "  ERROR  "), 0u) << run.output;
  EXPECT_GT(Count(run.output, "  PASS  "), 20u);
  // Every scenario's JUnit classname names the client.
  std::regex classname("classname=\"([^\"]*)\"");
  size_t cases = 0;
  for (std::sregex_iterator it(run.junit.begin(), run.junit.end(), classname), end; it != end; ++it, ++cases) {
    std::string c = (*it)[1];
    if (c == "onsmqtt.contract.coverage") continue;
    EXPECT_EQ(c.rfind("py-v1-signer-0_1.onsmqtt.", 0), 0u) << c;
  }
  EXPECT_GT(cases, 20u);
  EXPECT_NE(run.junit.find("<property name=\"client\" value=\"py-v1-signer-0.1\"/>"), std::string::npos);
  EXPECT_NE(run.json.find("\"client\": \"py-v1-signer-0.1\""), std::string::npos);
  EXPECT_NE(run.html.find("<dt>client</dt><dd>py-v1-signer-0.1</dd>"), std::string::npos);
  // Exchanges show the adapter's request line, the secret masked.
  EXPECT_NE(run.json.find("client py-v1-signer-0.1: {\\\"id\\\":"), std::string::npos);
  EXPECT_NE(run.json.find("\\\"secret\\\":\\\"***\\\""), std::string::npos);
  ExpectNoSecrets(run);
}

TEST(ClientE2E, AClientThatReportsSuccessForAnErrorFails) {
  TempDir dir;
  ClientRun run = RunClient(dir, kSigner + " lie-success", {"scenarios/active_device_certificate/lookup.yaml"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("the client reported success for an answer the mock sent as HTTP 500 FindDeviceBySnError"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.junit.find("client: the client reported success for an answer the mock sent as HTTP 500"),
            std::string::npos);
  ExpectNoSecrets(run);
}

TEST(ClientE2E, EachFlawOfAClientIsNamed) {
  const std::pair<std::string, std::string> cases[] = {
      {"lose-request-id", "the client surfaced no request id for the error (the mock answered "},
      {"rename-param", "which the step does not send (did you mean "},
      {"add-region", "the client sent RegionId, which the step does not send"},
      {"always-get",
       "the client sent GET; the step asks for POST (what the generated SDKs send for "
       "ActiveDeviceCertificate)"},
      {"bad-signature", "the client's signature does not verify with the credentials' secret"},
  };
  for (const auto& [flaw, message] : cases) {
    TempDir dir;
    ClientRun run =
        RunClient(dir, kSigner + " " + flaw, {"--filter", kNoRateBurst, "scenarios/active_device_certificate/"});
    EXPECT_EQ(run.exit_code, 1) << flaw << "\n" << run.output;
    EXPECT_NE(run.output.find(message), std::string::npos) << flaw << "\n" << run.output;
    ExpectNoSecrets(run);
  }
}

TEST(ClientE2E, ABurstThroughTheClientIsJudgedOnBothSides) {
  TempDir dir;
  ClientRun run = RunClient(dir, kCanned + " reverse", {"runner/testdata/client/burst.yaml"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  // The canned adapter answers (newest first) without calling: the wire saw none.
  EXPECT_NE(run.output.find("the mock received 0 requests for 40 calls"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("the client reported 40 success; the mock answered nothing"), std::string::npos)
      << run.output;
}

TEST(ClientE2E, AnAdapterThatCrashesIsAnErrorAndIsRestartedForTheNextScenario) {
  TempDir dir;
  ClientRun run = RunClient(dir, kCanned + " crash", {"scenarios/active_device_certificate/lookup.yaml", "-j", "1"});
  EXPECT_EQ(run.exit_code, 3) << run.output;
  size_t errors = Count(run.output, "  ERROR  ");
  EXPECT_GE(errors, 2u);
  // Each scenario's adapter is a new one that exits again, not the broken one.
  EXPECT_EQ(Count(run.output, "error: the client adapter exited with status 3"), errors) << run.output;
  EXPECT_NE(run.junit.find(": the client adapter exited with status 3 while the runner waited for the answer to "
                           "request "),
            std::string::npos);
  EXPECT_NE(run.junit.find("its stderr ends: boom\" type=\"client\">"), std::string::npos) << run.junit;
}

TEST(ClientE2E, AHangingAdapterTimesOut) {
  TempDir dir;
  ClientRun run =
      RunClient(dir, kCanned + " hang",
                {"--client-timeout", "1", "--filter", "an unknown CaSn", "scenarios/active_device_certificate/"});
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("the client adapter timed out: the runner waited 5001 ms (timeout_ms 1 + 5 s)"),
            std::string::npos)
      << run.output;
}

TEST(ClientE2E, AnAdapterThatPrintsSecretsToStderrIsRedacted) {
  TempDir dir;
  ClientRun run = RunClient(dir, kCanned + " leak", {"scenarios/active_device_certificate/lookup.yaml"});
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("secret=***"), std::string::npos) << run.output;
  ExpectNoSecrets(run);
}

TEST(ClientE2E, AnAdapterThatCannotSayHelloStopsTheRunWithReports) {
  TempDir dir;
  ClientRun run = RunClient(dir, kCanned + " hello-exit", {"scenarios/active_device_certificate/lookup.yaml"});
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("the client adapter exited with status 1 while the runner waited for its hello"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("cannot load the SDK"), std::string::npos);
  EXPECT_NE(run.junit.find("<error"), std::string::npos) << run.junit;
}

TEST(ClientE2E, UsageErrorsExit2) {
  TempDir dir;
  Child child({kRunner, "--report-dir", dir.path(), "--client-timeout", "100"});
  EXPECT_EQ(child.Wait(), 2);
  EXPECT_NE(child.output().find("--client-timeout needs --client"), std::string::npos) << child.output();
}

}  // namespace
}  // namespace onsmqtt::runner
