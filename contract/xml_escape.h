#pragma once

#include <string>
#include <string_view>

// XML's five escaped characters, shared by the mock's XML answers and the
// runner's JUnit reports (which also clean invalid characters first).
namespace onsmqtt {

// Appends the entity for `c` and returns true when `c` is one of & < > " ',
// else appends nothing and returns false.
inline bool AppendXmlEntity(char c, std::string* out) {
  switch (c) {
    case '&':
      *out += "&amp;";
      return true;
    case '<':
      *out += "&lt;";
      return true;
    case '>':
      *out += "&gt;";
      return true;
    case '"':
      *out += "&quot;";
      return true;
    case '\'':
      *out += "&apos;";
      return true;
    default:
      return false;
  }
}

// `text` with the five characters escaped; every other byte as it is.
inline std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!AppendXmlEntity(c, &out)) out.push_back(c);
  }
  return out;
}

}  // namespace onsmqtt
