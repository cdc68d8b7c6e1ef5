// End to end: the reports of the main job (onsmqtt-runner with no
// arguments but the report folder) — the contract documentation by example
// is byte-identical from one run to the next and covers every operation,
// coverage.json demonstrates the documented pairs, and no secret or
// signature appears in any file the run writes.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "contract/contract.h"
#include "contract/yaml_tree.h"
#include "runner/test_child.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

namespace fs = std::filesystem;
using testing::Child;
using testing::ReadAll;
using testing::SchemaErrors;
using testing::TempDir;

const std::string kRunner = ONSMQTT_RUNNER_BIN;

#ifdef ONSMQTT_SANITIZED
const std::vector<std::string> kBuildFilter = {"--filter", "^(?!.*(throttling[.]yaml|[.]a burst of))"};
#else
const std::vector<std::string> kBuildFilter = {};
#endif

// Every file under `dir`, relative path -> content.
std::map<std::string, std::string> Files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = ReadAll(e.path().string());
  }
  return out;
}

// The first "Signature=" followed by a value that is not the redaction
// mark: a V1 signature (base64, maybe percent-encoded) or a V3 one (hex).
std::string UnredactedSignature(const std::string& text) {
  const std::string key = "Signature=";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    size_t v = at + key.size();
    size_t end = v;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '%' ||
                                 text[end] == '+' || text[end] == '/')) {
      ++end;
    }
    if (end - v >= 16) return text.substr(at, end - at);
  }
  return "";
}

class MainJobReports : public ::testing::Test {
 protected:
  // The main job's reports, written once for the whole suite (a full run).
  static void SetUpTestSuite() {
    first_ = new TempDir();
    second_ = new TempDir();
    for (TempDir* dir : {first_, second_}) {
      std::vector<std::string> argv = {kRunner, "--report-dir", dir->path(), "--json", dir->File("report.json")};
      argv.insert(argv.end(), kBuildFilter.begin(), kBuildFilter.end());
      Child child(argv);
      exit_codes_.push_back(child.Wait());
      outputs_.push_back(child.output());
    }
  }
  static void TearDownTestSuite() {
    delete first_;
    delete second_;
  }

  static TempDir* first_;
  static TempDir* second_;
  static std::vector<int> exit_codes_;
  static std::vector<std::string> outputs_;
};

TempDir* MainJobReports::first_ = nullptr;
TempDir* MainJobReports::second_ = nullptr;
std::vector<int> MainJobReports::exit_codes_;
std::vector<std::string> MainJobReports::outputs_;

TEST_F(MainJobReports, TwoRunsWriteByteIdenticalDocs) {
  ASSERT_EQ(exit_codes_, (std::vector<int>{0, 0})) << outputs_[0] << outputs_[1];
  std::map<std::string, std::string> a = Files(first_->File("docs")), b = Files(second_->File("docs"));
  ASSERT_FALSE(a.empty());
  for (const auto& [name, content] : a) {
    ASSERT_TRUE(b.count(name)) << name << " is missing from the second run";
    if (content == b[name]) continue;
    size_t at = 0;
    while (at < content.size() && at < b[name].size() && content[at] == b[name][at]) ++at;
    ADD_FAILURE() << name << " differs at byte " << at << ": \"" << content.substr(at > 80 ? at - 80 : 0, 160)
                  << "\" vs \"" << b[name].substr(at > 80 ? at - 80 : 0, 160) << "\"";
  }
  EXPECT_EQ(a.size(), b.size());
}

TEST_F(MainJobReports, EveryOperationHasAPageInBothFormats) {
  std::map<std::string, std::string> docs = Files(first_->File("docs"));
  for (const char* page : {"index.md", "index.html", "coverage.md", "coverage.html", "coverage.json"}) {
    EXPECT_TRUE(docs.count(page)) << page;
  }
  for (const OperationSpec& op : BuiltinContract().operations) {
    ASSERT_TRUE(docs.count(op.name + ".md")) << op.name;
    ASSERT_TRUE(docs.count(op.name + ".html")) << op.name;
    const std::string& md = docs[op.name + ".md"];
    for (const std::string& code : op.errors) EXPECT_NE(md.find(code), std::string::npos) << op.name << " " << code;
    EXPECT_NE(md.find(op.ram_action), std::string::npos) << op.name;
    EXPECT_NE(docs[op.name + ".html"].find("<table"), std::string::npos) << op.name;
  }
}

TEST_F(MainJobReports, CoverageJsonDemonstratesTheDocumentedPairs) {
  nlohmann::json coverage = nlohmann::json::parse(ReadAll(first_->File("docs/coverage.json")));
  size_t documented = 0, demonstrated = 0, waived = 0;
  for (const nlohmann::json& pair : coverage.at("pairs")) {
    ASSERT_TRUE(pair.contains("operation") && pair.contains("code") && pair.contains("scenarios")) << pair.dump();
    std::string state = pair.at("state");
    if (state == "undocumented") continue;
    ++documented;
    demonstrated += state == "demonstrated";
    waived += state == "waived";
    if (state == "demonstrated") {
      EXPECT_FALSE(pair.at("scenarios").empty()) << pair.dump();
    }
  }
  size_t pairs = 0;
  for (const OperationSpec& op : BuiltinContract().operations) pairs += op.errors.size();
  EXPECT_EQ(documented, pairs);
  EXPECT_GE(demonstrated * 100, documented * 95) << demonstrated << " of " << documented;
  EXPECT_EQ(demonstrated + waived, documented);
}

TEST_F(MainJobReports, JUnitHasTheCoverageSuiteAndStaysValid) {
  std::string junit = ReadAll(first_->File("junit.xml"));
  EXPECT_NE(junit.find("<testsuite name=\"contract.coverage\""), std::string::npos);
  const std::string schemas = "runner/testdata/schemas/";
  EXPECT_EQ(SchemaErrors(first_->File("junit.xml"), schemas + "JUnit.xsd"), "");
  EXPECT_EQ(SchemaErrors(first_->File("junit.xml"), schemas + "junit-10.xsd"), "");
}

TEST_F(MainJobReports, NoSecretOrSignatureAnywhereInTheReports) {
  std::vector<std::string> secrets;
  auto root = yaml::ParseFile("fixtures/default.yaml");
  ASSERT_TRUE(root.ok());
  for (const auto& [name, key] : root->Find("access_keys")->entries) secrets.push_back(key.Find("secret")->scalar);
  ASSERT_EQ(secrets.size(), 5u);
  for (const auto& [name, cred] : root->Find("temporary_credentials")->entries) {
    secrets.push_back(cred.Find("secret")->scalar);
    secrets.push_back(cred.Find("token")->scalar);
  }
  ASSERT_EQ(secrets.size(), 5u + 2 * 3);
  std::map<std::string, std::string> files = Files(first_->path());
  EXPECT_GE(files.size(), 5u + 2 * BuiltinContract().operations.size());
  for (const auto& [name, content] : files) {
    for (const std::string& s : secrets) EXPECT_EQ(content.find(s), std::string::npos) << s << " in " << name;
    EXPECT_EQ(UnredactedSignature(content), "") << name;
  }
  EXPECT_NE(files["report.json"].find("Signature=***"), std::string::npos);
}

}  // namespace
}  // namespace onsmqtt::runner
