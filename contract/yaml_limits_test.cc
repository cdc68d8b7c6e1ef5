// The limits of yaml::Parse (yaml_tree.h) and the hints on yaml-cpp's
// syntax errors. Every input here once crashed, exhausted memory or read
// badly.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "contract/yaml_test_util.h"
#include "contract/yaml_tree.h"

namespace onsmqtt::yaml {
namespace {

using testing::AliasBomb;

TEST(YamlLimits, AliasBombIsRefusedAtTheAliasThatExceedsTheBudget) {
  StatusOr<Node> doc = Parse(AliasBomb(), "bomb.yaml");
  ASSERT_FALSE(doc.ok());
  // e is 66,430 nodes; a to e and their copies kept for aliases are
  // 149,464: the second *e of f passes 250,000.
  EXPECT_EQ(doc.status().ToString(),
            "bomb.yaml:6:11: error: aliases expand this document beyond 250,000 nodes or 16,777,216 bytes of text "
            "(*e copies 66,430 nodes each time it is used); use fewer or smaller aliases");
}

TEST(YamlLimits, ModestAliasesAreExpanded) {
  StatusOr<Node> doc = Parse("base: &p {CaSn: x, DeviceSn: y}\none: *p\ntwo: [*p, *p]\n", "a.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const Node* two = doc->Find("two");
  ASSERT_TRUE(two != nullptr && two->items.size() == 2);
  EXPECT_EQ(two->items[1].Find("DeviceSn")->scalar, "y");
  EXPECT_EQ(two->items[1].loc.line, 1);  // an alias's content keeps its anchor's positions
  EXPECT_EQ(doc->Find("one")->Find("CaSn")->loc.column, 17);
}

TEST(YamlLimits, AliasOfABigScalarCountsItsBytes) {
  std::string text = "s: &s \"" + std::string(1 << 20, 'x') + "\"\nl: [";
  for (int i = 0; i < 20; ++i) text += (i ? ", *s" : "*s");
  text += "]\n";
  StatusOr<Node> doc = Parse(text, "big.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("16,777,216 bytes of text (*s copies 1 nodes"), std::string::npos)
      << doc.status().ToString();
}

TEST(YamlLimits, AnAliasInsideItsOwnAnchorIsACycle) {
  StatusOr<Node> doc = Parse("a: &x [1, *x]\n", "cycle.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(),
            "cycle.yaml:1:11: error: alias *x is used inside the content of its own anchor (a cycle); an alias may "
            "only repeat a node that is complete");
}

TEST(YamlLimits, DeepFlowNestingIsRefusedBeforeYamlCppRecurses) {
  // Deeper would overflow yaml-cpp's recursive descent (or meet its own
  // guard at 2,000); the tree stops at 128.
  std::string text = "a: " + std::string(50'000, '[') + std::string(50'000, ']') + "\n";
  StatusOr<Node> doc = Parse(text, "deep.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(), "deep.yaml:1:131: error: lists and maps are nested deeper than 128 levels");
  std::string ok = "a: " + std::string(127, '[') + std::string(127, ']') + "\n";
  EXPECT_TRUE(Parse(ok, "deep.yaml").ok());
}

// yaml-cpp would read 2,000,000 "[" ahead (8 s, 480 MB) before the first
// event; they are counted first.
TEST(YamlLimits, TooManyFlowOpenersAreRefusedBeforeYamlCppReadsAhead) {
  std::string text = "a: x\nb: " + std::string(2'000'000, '[') + "\n";
  StatusOr<Node> doc = Parse(text, "open.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(),
            "open.yaml:2:100004: error: the file holds more than 100,000 \"[\" and \"{\" (flow lists and maps); "
            "write long lists in block style");
}

TEST(YamlLimits, DeepBlockNestingIsRefused) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "- ";
  text += "x\n";
  StatusOr<Node> doc = Parse(text, "block.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("nested deeper than 128"), std::string::npos);
}

TEST(YamlLimits, TooManyNodesWithoutAliases) {
  std::string text = "[";
  for (int i = 0; i < 300'000; ++i) text += "1,";
  text += "1]\n";
  StatusOr<Node> doc = Parse(text, "many.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(),
            "many.yaml:1:500000: error: the document holds more than 250,000 nodes or 16,777,216 bytes of text");
}

TEST(YamlLimits, TextOverFourMebibytesIsRefusedAtLineOne) {
  std::string text = "a: \"" + std::string(kMaxYamlBytes, 'x') + "\"\n";
  StatusOr<Node> doc = Parse(text, "huge.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(),
            "huge.yaml:1:1: error: the file holds 4,194,310 bytes; a YAML file may hold at most 4,194,304 (4 MiB)");
}

TEST(YamlLimits, ReadFileStopsAtItsLimit) {
  std::string path = ::testing::TempDir() + "yaml_limits_big.txt";
  std::ofstream(path) << std::string(1000, 'x');
  StatusOr<std::string> text = ReadFile(path, 999);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().ToString(),
            path + ":1:1: error: the file is larger than 999 bytes, the limit for an input file");
  EXPECT_TRUE(ReadFile(path, 1000).ok());
  // A device that never ends is not read to the end.
  StatusOr<std::string> zero = ReadFile("/dev/zero");
  EXPECT_FALSE(zero.ok());
  std::remove(path.c_str());
}

TEST(YamlLimits, EveryDuplicateKeyIsReportedWhenAsked) {
  std::string text = "a:\n  k: 1\n  k: 2\nb: 1\nb: 2\nc: {x: 1, x: 2}\n";
  std::vector<Status> dups;
  StatusOr<Node> doc = Parse(text, "d.yaml", &dups);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(dups.size(), 3u);
  EXPECT_EQ(dups[0].ToString(), "d.yaml:3:3: error: duplicate key \"k\" (a key may appear once per map)");
  EXPECT_EQ(dups[1].ToString(), "d.yaml:5:1: error: duplicate key \"b\" (a key may appear once per map)");
  EXPECT_EQ(dups[2].ToString(), "d.yaml:6:11: error: duplicate key \"x\" (a key may appear once per map)");
  EXPECT_EQ(doc->Find("b")->scalar, "1");  // the first value is kept
  // Without the list, the first is the error.
  EXPECT_EQ(Parse(text, "d.yaml").status().ToString(), dups[0].ToString());
}

struct HintCase {
  const char* text;
  const char* expected;  // the whole message
};

TEST(YamlLimits, SyntaxErrorsNameTheLikelyCause) {
  const HintCase cases[] = {
      {"a:\n  b: 1\n\tc: 2\n",
       "illegal tab when looking for indentation; likely cause: a tab in the indentation; YAML indents with spaces "
       "only"},
      {"a:\n\t- 1\n", "illegal block entry; likely cause: a tab in the indentation; YAML indents with spaces only"},
      {"params: {DeviceSn: ${device.sn}, CaSn: x}\n",
       "end of map flow not found; likely cause: an unquoted ${...} inside {...} or [...] reads as a nested map; "
       "quote it: \"${name}\""},
      {"a: {b: 1\nc: 2\n",
       "end of map flow not found; likely cause: a {...} or [...] that is not closed, or a value in it holding , : "
       "{ } [ ] unquoted; quote such values"},
      {"steps:\n  - call: X\n    params:\n      a: 1\n   - call: Y\n",
       "end of sequence not found; likely cause: this line's indentation does not match the lines above it"},
      {"a: b: c\n",
       "illegal map value; likely cause: a value holding \": \" unquoted, or a key indented deeper than the keys "
       "above it"},
      {"a: *nope\n",
       "the referenced anchor is not defined; likely cause: an alias *name used before its anchor &name is "
       "defined"},
  };
  for (const HintCase& c : cases) {
    StatusOr<Node> doc = Parse(c.text, "h.yaml");
    ASSERT_FALSE(doc.ok()) << c.text;
    EXPECT_EQ(doc.status().message(), c.expected) << c.text;
  }
  // A quoted ${...} in a flow map is fine.
  EXPECT_TRUE(Parse("params: {DeviceSn: \"${device.sn}\"}\n", "h.yaml").ok());
}

}  // namespace
}  // namespace onsmqtt::yaml
