#include "contract/yaml_tree.h"

#include <gtest/gtest.h>

namespace onsmqtt::yaml {
namespace {

TEST(YamlTree, KeepsPositionsAndQuoting) {
  StatusOr<Node> doc = Parse("a: 1\nb:\n  - \"x\"\n  - y\n", "t.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const Node* b = doc->Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_sequence());
  EXPECT_EQ(b->items[0].loc.line, 3);
  EXPECT_EQ(b->items[0].loc.column, 5);
  EXPECT_TRUE(b->items[0].quoted);
  EXPECT_FALSE(b->items[1].quoted);
  EXPECT_EQ(doc->Find("a")->scalar, "1");
}

TEST(YamlTree, DuplicateKeysAreErrors) {
  StatusOr<Node> doc = Parse("x:\n  k: 1\n  k: 2\n", "d.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().ToString(), "d.yaml:3:3: error: duplicate key \"k\" (a key may appear once per map)");
}

TEST(YamlTree, SyntaxErrorsArePositioned) {
  StatusOr<Node> doc = Parse("a: [1, 2\nb: 3\n", "s.yaml");
  ASSERT_FALSE(doc.ok());
  ASSERT_TRUE(doc.status().location().has_value());
  EXPECT_EQ(doc.status().location()->file, "s.yaml");
  EXPECT_GT(doc.status().location()->line, 0);
}

TEST(MapReader, UnknownKeyGetsDidYouMean) {
  StatusOr<Node> doc = Parse("step:\n  action: X\n  stauts: 200\n", "m.yaml");
  ASSERT_TRUE(doc.ok());
  MapReader r(*doc->Find("step"), "step");
  r.Required("action");
  r.Optional("status");
  Status s = r.Finish();
  EXPECT_EQ(s.ToString(), "m.yaml:3:3: error: unknown key \"stauts\" in step; did you mean \"status\"?");
}

TEST(MapReader, MissingKeyIsReportedAtTheMap) {
  StatusOr<Node> doc = Parse("step:\n  as: owner\n", "m.yaml");
  ASSERT_TRUE(doc.ok());
  MapReader r(*doc->Find("step"), "step");
  EXPECT_EQ(r.Required("action"), nullptr);
  EXPECT_NE(r.Optional("as"), nullptr);
  EXPECT_EQ(r.Finish().ToString(), "m.yaml:2:3: error: missing required key \"action\" in step");
}

TEST(Conversions, TypedScalars) {
  StatusOr<Node> doc = Parse("i: 12\nq: \"12\"\nb: true\nl: [a, b]\n", "c.yaml");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*AsInt(*doc->Find("i"), "i"), 12);
  EXPECT_FALSE(AsInt(*doc->Find("q"), "q").ok());  // a quoted scalar is a string
  EXPECT_TRUE(*AsBool(*doc->Find("b"), "b"));
  EXPECT_EQ(AsStringList(*doc->Find("l"), "l")->size(), 2u);
  EXPECT_EQ(AsString(*doc->Find("l"), "l").status().ToString(), "c.yaml:4:4: error: l must be a string, got a list");
}

TEST(Diagnostics, RenderWithCaret) {
  std::string text = "a: 1\n  bad: 2\n";
  EXPECT_EQ(RenderDiagnostic({"f.yaml", 2, 3}, "oops", text), "f.yaml:2:3: error: oops\n 2 |   bad: 2\n   |   ^\n");
}

TEST(DidYouMean, OnlyCloseWords) {
  EXPECT_EQ(DidYouMean("stauts", {"status", "action"}), "did you mean \"status\"?");
  EXPECT_EQ(DidYouMean("zzzzzz", {"status", "action"}), "");
}

}  // namespace
}  // namespace onsmqtt::yaml
