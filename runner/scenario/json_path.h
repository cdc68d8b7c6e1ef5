#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "contract/status.h"

// A small JSONPath subset for expectations and captures:
//   $                      the whole document
//   $.Data.Status          member access (names of letters, digits, _ and -)
//   $["x-key"]             member access by quoted name
//   $.Items[0]  $.Items[-1]  array index (negative counts from the end)
//   $.Items[*].DeviceSn    every item: the result is an array of the matches
namespace onsmqtt::runner {

struct JsonPath {
  struct Wildcard {};
  using Segment = std::variant<std::string, long, Wildcard>;  // member, index, [*]
  std::string text;
  std::vector<Segment> segments;
};

// kInvalidArgument with the offending column (1-based, in the message) for
// a malformed path.
StatusOr<JsonPath> ParseJsonPath(const std::string& text);

// The selected value, or nullopt when a member or index does not exist.
// After a wildcard the result is an array of every match (possibly empty).
std::optional<nlohmann::json> EvaluateJsonPath(const JsonPath& path, const nlohmann::json& doc);

}  // namespace onsmqtt::runner
