#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/source_location.h"
#include "contract/status.h"

// A YAML document as a plain tree in which every node keeps its position.
// Every loader of the project (contract, fixtures, scenarios) reads YAML
// through this, so all of them share one behaviour: duplicate keys are
// errors (yaml-cpp 0.7 accepts them silently), unknown keys get a "did you
// mean", and every error says file:line:col. yaml-cpp stays inside the .cc.
namespace onsmqtt::yaml {

enum class Kind { kNull, kScalar, kSequence, kMap };

struct Node {
  Kind kind = Kind::kNull;
  std::string scalar;                          // kScalar: the text as written, without quotes
  bool quoted = false;                         // kScalar: written with quotes (so surely a string)
  std::vector<Node> items;                     // kSequence
  std::vector<std::pair<Node, Node>> entries;  // kMap: (key, value), in order
  SourceLocation loc;

  // Declared so that clang (with libstdc++ 12, C++20) does not instantiate
  // std::pair<Node, Node> while Node is still incomplete; g++ needs no help.
  Node() = default;

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  // The value under `key` of a map, or nullptr.
  const Node* Find(std::string_view key) const;
  // "a map", "a list", "a string", "null" — for "expected X, got Y".
  const char* KindName() const;
};

// Limits of every YAML input (the README's limits table). A file beyond one
// is refused with a located error; memory stays bounded whatever the text.
inline constexpr size_t kMaxYamlBytes = 4u << 20;  // the text of one file
inline constexpr int kMaxYamlDepth = 128;          // lists and maps nested
// After aliases are expanded (each *alias counts the whole content of its
// anchor, every time it is used), so a "billion laughs" file is refused.
inline constexpr size_t kMaxYamlNodes = 250'000;
inline constexpr size_t kMaxYamlScalarBytes = 16u << 20;  // scalar text
// "[" and "{" in one text, wherever they are (yaml-cpp reads ahead through
// nested flow collections, ≈240 bytes of memory each, before it parses).
inline constexpr size_t kMaxYamlFlowOpeners = 100'000;
// Every input file the programs read (YAML, PEM, vars) is at most this big.
inline constexpr size_t kMaxInputFileBytes = kMaxYamlBytes;

// Parses the first document of `text`; `file` names it in locations.
// Errors, as kParseError with a location: syntax errors (with a hint about
// the likely cause), the limits above, map keys that are not scalars and
// duplicate keys. When `recoverable` is given, the last two kinds are all
// appended to it instead (the entry is left out, the first value of a key
// kept) and the tree is returned, so a caller can report every one.
StatusOr<Node> Parse(const std::string& text, const std::string& file, std::vector<Status>* recoverable = nullptr);

// Reads a whole file. kNotFound/kIoError with the path in the message; a
// file (or device) longer than `max_bytes` is kParseError located at
// path:1:1, and no more than max_bytes + 1 bytes are read.
StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);
// ReadFile, then Parse. When `text` is given, it receives the file's
// contents (for rendering diagnostics with the source line).
StatusOr<Node> ParseFile(const std::string& path, std::string* text = nullptr);

// `did you mean "x"?` for NearestName(word, candidates) (contract/suggest.h),
// else "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// Positioned scalar conversions; `what` names the value in messages.
StatusOr<std::string> AsString(const Node& node, std::string_view what);
StatusOr<int64_t> AsInt(const Node& node, std::string_view what);
StatusOr<double> AsDouble(const Node& node, std::string_view what);
StatusOr<bool> AsBool(const Node& node, std::string_view what);
StatusOr<std::vector<std::string>> AsStringList(const Node& node, std::string_view what);

// Strict reading of one map. Ask for each key you know, then Finish(), which
// reports the first key nobody asked for (with "did you mean").
//   MapReader r(node, "step");
//   const Node* action = r.Required("action");
//   const Node* as = r.Optional("as");
//   if (Status s = r.Finish(); !s.ok()) return s;
// The first error (node not a map, missing key, unknown key) is kept.
class MapReader {
 public:
  MapReader(const Node& node, std::string what);

  const Node* Optional(std::string_view key);
  // Records an error located at the map itself when the key is absent.
  const Node* Required(std::string_view key);
  // Ok, or the first error: not a map, then an unknown key (often a
  // misspelled required one), then a missing required key.
  Status Finish();
  const Status& status() const { return status_; }

 private:
  const Node& node_;
  std::string what_;
  std::vector<std::string> known_;
  std::vector<std::string> missing_;
  Status status_;
};

}  // namespace onsmqtt::yaml
