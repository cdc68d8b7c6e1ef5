#include "contract/yaml_tree.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

// A diagnostic at column 100,000 shows 120 bytes around the caret, with
// "..." where the line was cut, not a line of 100,000 spaces.
TEST(Diagnostics, LongLinesAreClippedAroundTheCaret) {
  std::string line = std::string(99'999, 'a') + "X" + std::string(100'000, 'b');
  std::string out = RenderDiagnostic({"f.yaml", 1, 100'000}, "oops", line + "\n");
  std::string shown = "..." + std::string(60, 'a') + "X" + std::string(59, 'b') + "...";
  EXPECT_EQ(out, "f.yaml:1:100000: error: oops\n 1 | " + shown + "\n   | " + std::string(63, ' ') + "^\n");
  // Near the start: cut at the end only; a short line is shown whole.
  std::string head = RenderDiagnostic({"f.yaml", 1, 3}, "oops", line);
  EXPECT_EQ(head, "f.yaml:1:3: error: oops\n 1 | " + std::string(120, 'a') + "...\n   |   ^\n");
  // The cut never splits a UTF-8 character.
  std::string utf8;
  for (int i = 0; i < 200; ++i) utf8 += "\xc3\xa9";  // é
  std::string mid = RenderDiagnostic({"u.yaml", 1, 201}, "oops", utf8);
  std::string excerpt = mid.substr(mid.find(" | ") + 3);
  excerpt = excerpt.substr(3, excerpt.find("...", 3) - 3);
  EXPECT_EQ(excerpt.size() % 2, 0u) << excerpt;
  EXPECT_EQ(excerpt.substr(0, 2), "\xc3\xa9");
}

TEST(DidYouMean, OnlyCloseWords) {
  EXPECT_EQ(DidYouMean("stauts", {"status", "action"}), "did you mean \"status\"?");
  EXPECT_EQ(DidYouMean("zzzzzz", {"status", "action"}), "");
}

TEST(ReadFile, ReadsWholeFilesAndSaysWhatFailed) {
  StatusOr<std::string> text = ReadFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/ca-a.pem");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_NE(text->find("-----END CERTIFICATE-----\n"), std::string::npos);
  StatusOr<std::string> missing = ReadFile("/no/such/file.yaml");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("/no/such/file.yaml"), std::string::npos);
  StatusOr<std::string> dir = ReadFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures");
  EXPECT_EQ(dir.status().code(), Status::Code::kIoError);
  EXPECT_NE(dir.status().message().find("directory"), std::string::npos) << dir.status().ToString();
}

TEST(ParseFile, ReadsAndParses) {
  const std::string path = std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/default.yaml";
  std::string text;
  StatusOr<Node> root = ParseFile(path, &text);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(text, *ReadFile(path));
  EXPECT_EQ(root->loc.file, path);
  EXPECT_NE(root->Find("accounts"), nullptr);
  StatusOr<Node> missing = ParseFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/no-such-file.yaml");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace onsmqtt::yaml
