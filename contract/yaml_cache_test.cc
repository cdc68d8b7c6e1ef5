#include "contract/yaml_cache.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "contract/yaml_test_util.h"

namespace onsmqtt::yaml {
namespace {

std::string SourcePath(const std::string& rel) { return std::string(ONSMQTT_SOURCE_DIR) + "/" + rel; }

// The build embedded the shipped files as they are on disk now (else the
// build is stale: the cache would silently stop applying).
TEST(YamlCache, EmbedsEveryShippedFixtureAndScenarioFileAsOnDisk) {
  std::set<std::string> paths;
  for (const ShippedYaml& f : ShippedYamlFiles()) {
    paths.insert(f.path);
    StatusOr<std::string> text = ReadFile(SourcePath(f.path));
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(*text, f.text) << f.path << ": rebuild, the embedded copy is stale";
  }
  EXPECT_TRUE(paths.count("fixtures/default.yaml"));
  EXPECT_TRUE(paths.count("scenarios/active_device_certificate/success.yaml"));
  EXPECT_GE(paths.size(), 12u);
}

// From the embedded tree or from yaml-cpp: the same nodes, locations naming
// the path the caller gave.
TEST(YamlCache, EmbeddedTreesAreWhatYamlCppParses) {
  for (const ShippedYaml& f : ShippedYamlFiles()) {
    std::string text(f.text);
    ASSERT_NE(FindShipped(text), nullptr) << f.path;
    StatusOr<Node> cached = ParseCached(text, "some/where.yaml");
    StatusOr<Node> parsed = Parse(text, "some/where.yaml");
    ASSERT_TRUE(cached.ok() && parsed.ok()) << f.path;
    ExpectSameTree(*cached, *parsed, f.path);
  }
}

// An edited copy is not the shipped file: yaml-cpp parses it, so its own
// positions and errors are reported.
TEST(YamlCache, EditedTextsAreParsedAsWritten) {
  StatusOr<std::string> text = ReadFile(SourcePath("fixtures/default.yaml"));
  ASSERT_TRUE(text.ok());
  ASSERT_NE(FindShipped(*text), nullptr);

  std::string shifted = "# one more line\n" + *text;
  EXPECT_EQ(FindShipped(shifted), nullptr);
  StatusOr<Node> a = ParseCached(*text, "f.yaml");
  StatusOr<Node> b = ParseCached(shifted, "f.yaml");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->is_map() && b->is_map() && !a->entries.empty());
  EXPECT_EQ(b->entries[0].first.loc.line, a->entries[0].first.loc.line + 1);

  std::string broken = *text + "accounts: {}\n";  // a duplicate key
  StatusOr<Node> c = ParseCached(broken, "f.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("duplicate key \"accounts\""), std::string::npos) << c.status().ToString();
}

TEST(YamlCache, ParseFileReadsAndParses) {
  std::string text;
  StatusOr<Node> root = ParseFile(SourcePath("fixtures/default.yaml"), &text);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_NE(FindShipped(text), nullptr);
  EXPECT_EQ(root->loc.file, SourcePath("fixtures/default.yaml"));
  StatusOr<Node> missing = ParseFile(SourcePath("fixtures/no-such-file.yaml"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace onsmqtt::yaml
