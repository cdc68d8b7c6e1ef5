#include "contract/yaml_tree.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "contract/yaml_test_util.h"

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

// --- Serialize / Deserialize ---------------------------------------------------

// Nulls (written and implied), both quotings, empty scalars and collections,
// flow and block nesting, a block scalar, non-ASCII text, a deep column.
constexpr char kVaried[] =
    "a: ~\nb: null\nc:\nd: \"double\"\ne: 'single'\nf: \"\"\n"
    "g:\n  - [1, \"two\", {x: y, z: [ ]}]\n  - h:\n      - i\n      -\n      - {}\n  - \"\\u00e9t\u00e9\"\n"
    "j: |\n  line one\n  line two\n"
    "k: {deep: {deeper: {deepest: [[[v]]]}}}\n";

void ExpectRoundTrip(const std::string& text, const std::string& file) {
  StatusOr<Node> parsed = Parse(text, file);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  StatusOr<Node> back = Deserialize(Serialize(*parsed), file);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameTree(*back, *parsed);
}

TEST(Serialize, RoundTripKeepsEveryNode) {
  StatusOr<Node> parsed = Parse(kVaried, "v.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  // The sample really has what it claims to.
  EXPECT_TRUE(parsed->Find("a")->is_null());
  EXPECT_TRUE(parsed->Find("c")->is_null());
  EXPECT_TRUE(parsed->Find("e")->quoted);
  EXPECT_EQ(parsed->Find("g")->items[2].scalar, "\u00e9t\u00e9");
  EXPECT_TRUE(parsed->Find("g")->items[1].Find("h")->items[1].is_null());
  ExpectRoundTrip(kVaried, "v.yaml");
  ExpectRoundTrip("just a scalar", "s.yaml");
  ExpectRoundTrip("", "empty.yaml");
}

TEST(Serialize, RoundTripOfTheContractFile) {
  std::string path = std::string(ONSMQTT_SOURCE_DIR) + "/contract/onsmqtt-2020-04-20.yaml";
  StatusOr<std::string> text = ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  ExpectRoundTrip(*text, path);
}

TEST(Serialize, LongScalarsAndPositionsNeedMultiByteVarints) {
  Node root;
  root.kind = Kind::kSequence;
  root.loc = {"big.yaml", 1, 1};
  Node item;
  item.kind = Kind::kScalar;
  item.scalar = std::string(70000, 'x');
  item.loc = {"big.yaml", 2000000000, 300};
  root.items.assign(20, item);
  StatusOr<Node> back = Deserialize(Serialize(root), "big.yaml");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameTree(*back, root);
}

std::string SmallSerialization() {
  StatusOr<Node> parsed = Parse("a: [1, \"two\"]\nb: {c: ~}\n", "small.yaml");
  EXPECT_TRUE(parsed.ok());
  return Serialize(*parsed);
}

TEST(Deserialize, RejectsEveryTruncation) {
  std::string bytes = SmallSerialization();
  ASSERT_TRUE(Deserialize(bytes, "small.yaml").ok());
  for (size_t n = 0; n < bytes.size(); ++n) {
    StatusOr<Node> r = Deserialize(std::string_view(bytes).substr(0, n), "small.yaml");
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << n;
    EXPECT_EQ(r.status().message().rfind("serialized YAML tree of \"small.yaml\" is corrupt at byte ", 0), 0u)
        << r.status().ToString();
  }
}

TEST(Deserialize, RejectsEveryFlippedByte) {
  std::string bytes = SmallSerialization();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x04, 0x80, 0xff}) {
      std::string garbled = bytes;
      garbled[i] = static_cast<char>(garbled[i] ^ mask);
      EXPECT_FALSE(Deserialize(garbled, "small.yaml").ok()) << "byte " << i << " ^ " << int{mask};
    }
  }
}

// Garbage behind a valid checksum: what the structure checks alone must catch.
std::string WithChecksum(std::string payload) {
  uint32_t h = 2166136261u;
  for (char c : payload) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  std::string out = "OYT1";
  for (int i = 0; i < 4; ++i) out += static_cast<char>(h >> (8 * i));
  return out + payload;
}

TEST(Deserialize, RejectsGarbageWithAValidChecksum) {
  ASSERT_TRUE(Deserialize(WithChecksum(std::string("\x01\x01\x01\x01x", 5)), "g.yaml").ok());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("\x09\x01\x01", 3), "unknown node tag 9"},
      {std::string("\x06\x01\x01\x00", 4), "only a scalar can be quoted"},
      {"\x01\x01\x01\x7fx", "scalar of 127 bytes is cut off"},
      {"\x01\xff\xff\xff\xff\x0f\x01\x00", "line 4294967295 is out of range"},
      {"\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "column is longer than 9 bytes"},
      // A count far beyond the input must fail before it sizes a vector.
      {"\x02\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "is more than the bytes left can hold"},
      {std::string("\x03\x01\x01\x01\x02\x01\x01\x00\x00\x01\x01", 11), "map key is a list"},
      // Each count fits alone; the root's 30 children and the first one's child do not fit together.
      {std::string("\x02\x01\x01\x1e\x02\x01\x01\x01", 8) + std::string(86, '\0'),
       "count 1 is more than the bytes left"},
  };
  for (const auto& [payload, message] : cases) {
    StatusOr<Node> r = Deserialize(WithChecksum(payload), "g.yaml");
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().ToString();
  }
  std::string trailing = WithChecksum(SmallSerialization().substr(8) + '\0');
  EXPECT_NE(Deserialize(trailing, "small.yaml").status().message().find("trailing bytes"), std::string::npos);
  EXPECT_NE(Deserialize(std::string("OYT2\0\0\0\0\0", 9), "g.yaml").status().message().find("magic"),
            std::string::npos);
}

TEST(Deserialize, RejectsNestingTooDeepForTheStack) {
  std::string payload;
  for (int i = 0; i < 2000; ++i) payload += std::string("\x02\x01\x01\x01", 4);
  payload += std::string("\x00\x01\x01", 3);
  StatusOr<Node> r = Deserialize(WithChecksum(payload), "deep.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested deeper than 1000 levels"), std::string::npos) << r.status().ToString();
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

}  // namespace
}  // namespace onsmqtt::yaml
