#include "runner/scenario/json_path.h"

#include <cctype>

namespace onsmqtt::runner {

namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

Status PathError(const std::string& text, size_t pos, const std::string& what) {
  return Status::InvalidArgument("JSON path \"" + text + "\", column " + std::to_string(pos + 1) + ": " + what +
                                 " (write e.g. $.Data.Status, $.Items[0].Sn, $.Items[*].Sn or $[\"x-y\"])");
}

// Parses a bracket segment starting at text[*pos] == '['.
Status ParseBracket(const std::string& text, size_t* pos, JsonPath* out) {
  size_t i = *pos + 1;
  if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
    char quote = text[i];
    size_t end = text.find(quote, i + 1);
    if (end == std::string::npos || end + 1 >= text.size() || text[end + 1] != ']') {
      return PathError(text, *pos, "unterminated quoted name");
    }
    out->segments.emplace_back(text.substr(i + 1, end - i - 1));
    *pos = end + 2;
    return Status::Ok();
  }
  size_t end = text.find(']', i);
  if (end == std::string::npos) return PathError(text, *pos, "missing \"]\"");
  std::string inner = text.substr(i, end - i);
  if (inner == "*") {
    out->segments.emplace_back(JsonPath::Wildcard{});
  } else {
    size_t start = inner.size() > 1 && inner[0] == '-' ? 1 : 0;
    if (inner.size() == start || inner.size() > 9)
      return PathError(text, i, "expected an index, \"*\" or a quoted name");
    for (size_t k = start; k < inner.size(); ++k) {
      if (std::isdigit(static_cast<unsigned char>(inner[k])) == 0) {
        return PathError(text, i + k, "expected an index, \"*\" or a quoted name");
      }
    }
    out->segments.emplace_back(std::stol(inner));
  }
  *pos = end + 1;
  return Status::Ok();
}

void Collect(const JsonPath& path, size_t from, const nlohmann::json& node, nlohmann::json* matches);

// Follows segments[from..] from `node`; nullopt when something is missing.
std::optional<nlohmann::json> Walk(const JsonPath& path, size_t from, const nlohmann::json& node) {
  const nlohmann::json* current = &node;
  for (size_t k = from; k < path.segments.size(); ++k) {
    const JsonPath::Segment& seg = path.segments[k];
    if (const auto* name = std::get_if<std::string>(&seg)) {
      if (!current->is_object() || !current->contains(*name)) return std::nullopt;
      current = &current->at(*name);
    } else if (const auto* index = std::get_if<long>(&seg)) {
      if (!current->is_array()) return std::nullopt;
      long size = static_cast<long>(current->size());
      long i = *index < 0 ? size + *index : *index;
      if (i < 0 || i >= size) return std::nullopt;
      current = &current->at(static_cast<size_t>(i));
    } else {
      if (!current->is_array() && !current->is_object()) return std::nullopt;
      nlohmann::json matches = nlohmann::json::array();
      for (const auto& item : *current) Collect(path, k + 1, item, &matches);
      return matches;
    }
  }
  return *current;
}

void Collect(const JsonPath& path, size_t from, const nlohmann::json& node, nlohmann::json* matches) {
  std::optional<nlohmann::json> found = Walk(path, from, node);
  if (!found.has_value()) return;
  bool nested_wildcard = false;
  for (size_t k = from; k < path.segments.size(); ++k) {
    if (std::holds_alternative<JsonPath::Wildcard>(path.segments[k])) nested_wildcard = true;
  }
  if (nested_wildcard) {
    for (auto& item : *found) matches->push_back(std::move(item));
  } else {
    matches->push_back(std::move(*found));
  }
}

}  // namespace

StatusOr<JsonPath> ParseJsonPath(const std::string& text) {
  JsonPath out;
  out.text = text;
  if (text.empty() || text[0] != '$') return PathError(text, 0, "a path starts with \"$\"");
  size_t pos = 1;
  while (pos < text.size()) {
    if (text[pos] == '.') {
      size_t start = ++pos;
      while (pos < text.size() && IsNameChar(text[pos])) ++pos;
      if (pos == start) return PathError(text, start, "expected a member name after \".\"");
      out.segments.emplace_back(text.substr(start, pos - start));
    } else if (text[pos] == '[') {
      if (Status s = ParseBracket(text, &pos, &out); !s.ok()) return s;
    } else {
      return PathError(text, pos, std::string("unexpected \"") + text[pos] + "\"");
    }
  }
  return out;
}

std::optional<nlohmann::json> EvaluateJsonPath(const JsonPath& path, const nlohmann::json& doc) {
  return Walk(path, 0, doc);
}

}  // namespace onsmqtt::runner
