#pragma once

#include <span>
#include <string>
#include <string_view>

#include "contract/yaml_tree.h"

// yaml-cpp 0.7 costs ≈1,600 instructions a byte: parsing the default
// fixture was the largest part of the mock's start-up, and the scenario
// files a large part of every runner start. The YAML files shipped with the
// project are therefore parsed at build time (contract/embed_yaml.cc) and
// their trees embedded: fixtures/ here (ShippedFixtures), scenarios/ in the
// runner only (runner/scenario/shipped.h). ParseCached deserializes the
// embedded tree when a text is byte for byte a file of the table it is
// given, and parses anything else (an edited copy, a user's file) with
// yaml-cpp. The result, locations included, is the same either way.
namespace onsmqtt::yaml {

struct ShippedYaml {
  const char* path;       // relative to the project's root (for tests and tools)
  std::string_view text;  // the file's text at build time
  std::string_view tree;  // yaml::Serialize of its tree
};

// Every embedded fixture, fixtures/*.yaml (generated at build time).
std::span<const ShippedYaml> ShippedFixtures();

// The file of `shipped` whose text is exactly `text`, or nullptr.
const ShippedYaml* FindShipped(std::string_view text, std::span<const ShippedYaml> shipped = ShippedFixtures());

// yaml::Parse, from the embedded tree when `text` is the text of a file of
// `shipped` (which has no errors). `recoverable` as for yaml::Parse.
StatusOr<Node> ParseCached(const std::string& text, const std::string& file, std::vector<Status>* recoverable = nullptr,
                           std::span<const ShippedYaml> shipped = ShippedFixtures());

// Reads `path` and parses it with ParseCached (the fixtures' table). When `text` is given, it
// receives the file's contents (for rendering diagnostics with the source
// line).
StatusOr<Node> ParseFile(const std::string& path, std::string* text = nullptr);

}  // namespace onsmqtt::yaml
