#pragma once

// Helpers of the build-time generators (embed_contract.cc, embed_yaml.cc).

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>

#include "contract/yaml_tree.h"

namespace onsmqtt::embed {

// Hex bytes, 16 a line, for a `const unsigned char x[] = {...}` initializer:
// a string literal would need escapes for most bytes of a serialized tree.
inline std::string ByteArray(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 6 + bytes.size() / 16 * 4);
  for (size_t i = 0; i < bytes.size(); ++i) {
    out += i % 16 == 0 ? "\n   " : "";
    uint8_t b = static_cast<uint8_t>(bytes[i]);
    out += {' ', '0', 'x', kHex[b >> 4], kHex[b & 15], ','};
  }
  return out;
}

// Writes a generator's output and returns its exit status (the error is
// printed). Leaves an unchanged file alone, so that relinking a generator
// (any change to the contract library) does not rebuild everything that
// links its output.
inline int WriteIfChanged(const std::string& path, const std::string& content) {
  StatusOr<std::string> old = yaml::ReadFile(path);
  if (old.ok() && *old == content) return 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (out.flush()) return 0;
  std::cerr << path << ": error: cannot write\n";
  return 1;
}

}  // namespace onsmqtt::embed
