#include "contract/yaml_hints.h"

#include <yaml-cpp/exceptions.h>

#include <string_view>

namespace onsmqtt::yaml {

namespace {

std::string_view LineOf(std::string_view text, int line) {
  size_t start = 0;
  for (int current = 1; current < line; ++current) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

bool TabInIndentation(std::string_view line) {
  size_t first = line.find_first_not_of(" \t");
  return line.substr(0, first).find('\t') != std::string_view::npos;
}

// A "${" outside quotes after a "{" or "[" on the line.
bool UnquotedVariableInFlow(std::string_view line) {
  bool in_single = false, in_double = false, in_flow = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'' && !in_double) in_single = !in_single;
    if (c == '"' && !in_single && (i == 0 || line[i - 1] != '\\')) in_double = !in_double;
    if (in_single || in_double) continue;
    if (c == '$' && i + 1 < line.size() && line[i + 1] == '{') {
      if (in_flow) return true;
      ++i;
      continue;
    }
    if (c == '{' || c == '[') in_flow = true;
  }
  return false;
}

bool Is(const std::string& message, const char* raw) { return message == raw; }

std::string Cause(const std::string& message, std::string_view line, std::string_view previous) {
  namespace M = YAML::ErrorMsg;
  if (Is(message, M::TAB_IN_INDENTATION) || TabInIndentation(line) || TabInIndentation(previous)) {
    return "a tab in the indentation; YAML indents with spaces only";
  }
  bool flow = Is(message, M::END_OF_MAP_FLOW) || Is(message, M::END_OF_SEQ_FLOW) || Is(message, M::FLOW_END);
  if ((flow || Is(message, M::MAP_VALUE) || Is(message, M::MAP_KEY)) &&
      (UnquotedVariableInFlow(line) || UnquotedVariableInFlow(previous))) {
    return "an unquoted ${...} inside {...} or [...] reads as a nested map; quote it: \"${name}\"";
  }
  if (flow) {
    return "a {...} or [...] that is not closed, or a value in it holding , : { } [ ] unquoted; quote such values";
  }
  if (Is(message, M::BLOCK_ENTRY)) {
    return "a \"- \" item that does not line up with the items above it (check its indentation)";
  }
  if (Is(message, M::MAP_VALUE)) {
    return "a value holding \": \" unquoted, or a key indented deeper than the keys above it";
  }
  if (Is(message, M::END_OF_MAP) || Is(message, M::END_OF_SEQ) || Is(message, M::MAP_KEY)) {
    return "this line's indentation does not match the lines above it";
  }
  if (Is(message, M::UNKNOWN_ANCHOR)) return "an alias *name used before its anchor &name is defined";
  return "";
}

}  // namespace

std::string WithHint(const std::string& message, const std::string& text, const SourceLocation& at) {
  std::string_view line = LineOf(text, at.line);
  std::string_view previous = at.line > 1 ? LineOf(text, at.line - 1) : std::string_view{};
  std::string cause = Cause(message, line, previous);
  if (cause.empty()) return message;
  return message + "; likely cause: " + cause;
}

}  // namespace onsmqtt::yaml
