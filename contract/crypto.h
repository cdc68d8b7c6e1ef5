#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "contract/status.h"

// Hashes, MACs and encodings the signatures need (OpenSSL underneath).
//
// The hashes, MACs and random bytes fail (kInternal, with OpenSSL's step in
// the message) only when OpenSSL cannot run the algorithm: a provider
// configuration without it (OPENSSL_CONF), or memory exhausted. The
// encodings and the comparison cannot fail.
namespace onsmqtt {

StatusOr<std::string> Sha256Hex(std::string_view data);                            // lowercase hex
StatusOr<std::string> HmacSha256Hex(std::string_view key, std::string_view data);  // lowercase hex
StatusOr<std::string> HmacSha1Base64(std::string_view key, std::string_view data);
std::string Base64Encode(std::string_view data);
std::string HexEncode(std::string_view bytes);  // lowercase

// Constant-time comparison, for signatures.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically random bytes as lowercase hex (2 * bytes characters).
// kInvalidArgument for more than kMaxRandomBytes (nonces and test secrets
// need a few dozen).
inline constexpr size_t kMaxRandomBytes = 4096;
StatusOr<std::string> RandomHex(size_t bytes);

}  // namespace onsmqtt
