#pragma once

#include <string>
#include <string_view>

// Hashes, MACs and encodings the signatures need (OpenSSL underneath).
namespace onsmqtt {

std::string Sha256Hex(std::string_view data);                            // lowercase hex
std::string HmacSha256Hex(std::string_view key, std::string_view data);  // lowercase hex
std::string HmacSha1Base64(std::string_view key, std::string_view data);
std::string Base64Encode(std::string_view data);
std::string HexEncode(std::string_view bytes);  // lowercase

// Constant-time comparison, for signatures.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

}  // namespace onsmqtt
