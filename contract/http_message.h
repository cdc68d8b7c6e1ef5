#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onsmqtt {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; the first match, or nullptr.
const std::string* FindHeader(const HeaderList& headers, std::string_view name);
// ASCII lowercase (other bytes unchanged).
std::string ToLower(std::string_view s);
// ASCII case-insensitive equality, without allocating.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string Trim(std::string_view s);

// An HTTP request as sent or as received: the method, the path, the raw
// (already encoded) query string without '?', headers as given, the body.
struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string query;
  HeaderList headers;
  std::string body;

  // path, plus "?query" when there is a query.
  std::string Target() const { return query.empty() ? path : path + "?" + query; }
  const std::string* Header(std::string_view name) const { return FindHeader(headers, name); }
  // Replaces (or adds) a header, matching the name case-insensitively.
  void SetHeader(const std::string& name, const std::string& value);
};

}  // namespace onsmqtt
