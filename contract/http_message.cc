#include "contract/http_message.h"

#include <cctype>

namespace onsmqtt {

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ToLower(k) == ToLower(name)) return &v;
  }
  return nullptr;
}

void HttpRequest::SetHeader(const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (ToLower(k) == ToLower(name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

}  // namespace onsmqtt
