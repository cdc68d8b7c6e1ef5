#include "contract/percent.h"

#include <algorithm>

namespace onsmqtt {

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentEncode(std::string_view in) {
  static const char kHex[] = "0123456789ABCDEF";
  // Most names and values (keys, SNs, ids) need no escape: one copy.
  size_t plain = 0;
  while (plain < in.size() && IsUnreserved(static_cast<unsigned char>(in[plain]))) ++plain;
  if (plain == in.size()) return std::string(in);
  std::string out;
  out.reserve(in.size() * 3);
  out.append(in.data(), plain);
  for (unsigned char c : in.substr(plain)) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  if (in.find('%') == std::string_view::npos && (!plus_is_space || in.find('+') == std::string_view::npos)) {
    return std::string(in);  // nothing to decode
  }
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

ParamList ParseQueryString(std::string_view raw, bool plus_is_space) {
  ParamList out;
  if (raw.empty()) return out;
  out.reserve(static_cast<size_t>(std::count(raw.begin(), raw.end(), '&')) + 1);
  size_t start = 0;
  while (start <= raw.size()) {
    size_t amp = raw.find('&', start);
    std::string_view part = raw.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(PercentDecode(part, plus_is_space), "");
      } else {
        out.emplace_back(PercentDecode(part.substr(0, eq), plus_is_space),
                         PercentDecode(part.substr(eq + 1), plus_is_space));
      }
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string CanonicalQueryString(const ParamList& params) {
  std::vector<Param> encoded;
  encoded.reserve(params.size());
  for (const auto& [k, v] : params) encoded.emplace_back(PercentEncode(k), PercentEncode(v));
  std::sort(encoded.begin(), encoded.end());
  size_t size = 0;
  for (const auto& [k, v] : encoded) size += k.size() + v.size() + 2;
  std::string out;
  out.reserve(size);
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += k;
    out.push_back('=');
    out += v;
  }
  return out;
}

std::string EncodeParams(const ParamList& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(k);
    out.push_back('=');
    out += PercentEncode(v);
  }
  return out;
}

}  // namespace onsmqtt
