#include "contract/yaml_cache.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "contract/yaml_test_util.h"

namespace onsmqtt::yaml {
namespace {

std::string SourcePath(const std::string& rel) { return std::string(ONSMQTT_SOURCE_DIR) + "/" + rel; }

// The build embedded the shipped fixtures as they are on disk now. The
// scenarios are the runner's (runner/scenario/shipped_test.cc).
TEST(YamlCache, EmbedsEveryShippedFixtureAsOnDisk) {
  std::set<std::string> paths = ExpectEmbeddedAsOnDisk(ShippedFixtures(), ONSMQTT_SOURCE_DIR);
  EXPECT_TRUE(paths.count("fixtures/default.yaml"));
  for (const std::string& path : paths) EXPECT_EQ(path.rfind("fixtures/", 0), 0u) << path;
}

TEST(YamlCache, EmbeddedTreesAreWhatYamlCppParses) { ExpectEmbeddedTreesAreWhatYamlCppParses(ShippedFixtures()); }

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
