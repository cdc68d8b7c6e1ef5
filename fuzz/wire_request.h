#pragma once

#include <string>
#include <string_view>

#include "contract/http_message.h"

// A raw HTTP/1.1 request as the fuzz targets read their input: a request
// line "METHOD TARGET [VERSION]", header lines "Name: value", an empty
// line, the body. Line ends may be CRLF or LF. Lenient on purpose: any
// bytes give some request, so every mutation reaches the code under test.
namespace onsmqtt::fuzz {

inline std::string_view NextLine(std::string_view* rest) {
  size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  *rest = nl == std::string_view::npos ? std::string_view() : rest->substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The request as the mock's server hands it on (mock_server/gateway/server.cc,
// ToWire): the target split at the first '?', the query left encoded.
inline HttpRequest ParseWireRequest(std::string_view bytes) {
  HttpRequest req;
  std::string_view line = NextLine(&bytes);
  size_t sp = line.find(' ');
  req.method = std::string(line.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  target = target.substr(0, target.find(' '));
  size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  while (!bytes.empty()) {
    line = NextLine(&bytes);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    req.headers.emplace_back(std::string(name), Trim(value));
  }
  req.body = std::string(bytes);
  return req;
}

}  // namespace onsmqtt::fuzz
