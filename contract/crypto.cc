#include "contract/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

namespace onsmqtt {

namespace {

// Algorithms are fetched once per process (OpenSSL 3's implicit fetch in
// EVP_sha256()/HMAC() costs a provider lookup per call); contexts are
// per thread and reused, so nothing here takes a lock on the hot path.
// A failed fetch stays null: every call then answers the same error.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // kept for the life of the process
  return md;
}

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

// A thread's HMAC context bound to one digest (set once: EVP_MAC_init with
// only a key then reuses the digest instead of fetching it again).
class HmacContext {
 public:
  explicit HmacContext(const char* digest) {
    if (HmacAlgorithm() == nullptr) {
      setup_error_ = "EVP_MAC_fetch(HMAC) failed";
      return;
    }
    ctx_ = EVP_MAC_CTX_new(HmacAlgorithm());
    char name[16];
    OPENSSL_strlcpy(name, digest, sizeof(name));
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0), OSSL_PARAM_END};
    if (ctx_ == nullptr || EVP_MAC_CTX_set_params(ctx_, params) != 1) setup_error_ = "HMAC context setup failed";
  }
  ~HmacContext() { EVP_MAC_CTX_free(ctx_); }
  HmacContext(const HmacContext&) = delete;
  HmacContext& operator=(const HmacContext&) = delete;

  // Writes the MAC into out (EVP_MAX_MD_SIZE bytes); returns its length.
  StatusOr<size_t> Mac(std::string_view key, std::string_view data, unsigned char* out) {
    if (setup_error_ != nullptr) return Status::Internal(setup_error_);
    size_t len = 0;
    // A zero-length key must still be a key (not "keep the previous one").
    static const unsigned char kEmpty[1] = {0};
    const unsigned char* k = key.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx_, k, key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
        EVP_MAC_final(ctx_, out, &len, EVP_MAX_MD_SIZE) != 1) {
      return Status::Internal("HMAC failed");
    }
    return len;
  }

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
  const char* setup_error_ = nullptr;  // set: every Mac() fails with it
};

class DigestContext {
 public:
  DigestContext() : ctx_(EVP_MD_CTX_new()) {}
  ~DigestContext() { EVP_MD_CTX_free(ctx_); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  EVP_MD_CTX* get() { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

void AppendHex(const unsigned char* bytes, size_t n, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  size_t at = out->size();
  out->resize(at + 2 * n);
  char* p = out->data() + at;
  for (size_t i = 0; i < n; ++i) {
    p[2 * i] = kHex[bytes[i] >> 4];
    p[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
}

std::string_view AsView(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  AppendHex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &out);
  return out;
}

StatusOr<std::string> Sha256Hex(std::string_view data) {
  // The payload hash of every request without a body (V3 GET, and POST with
  // parameters in the query): no digest to run.
  if (data.empty()) return std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  if (Sha256Md() == nullptr) return Status::Internal("EVP_MD_fetch failed: SHA256");
  thread_local DigestContext ctx;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    return Status::Internal("SHA-256 failed");
  }
  std::string out;
  AppendHex(digest, len, &out);
  return out;
}

StatusOr<std::string> HmacSha256Hex(std::string_view key, std::string_view data) {
  thread_local HmacContext ctx("SHA256");
  unsigned char mac[EVP_MAX_MD_SIZE];
  DECLARE_OR_RETURN(StatusOr<size_t>, len, ctx.Mac(key, data, mac));
  std::string out;
  AppendHex(mac, *len, &out);
  return out;
}

StatusOr<std::string> HmacSha1Base64(std::string_view key, std::string_view data) {
  thread_local HmacContext ctx("SHA1");
  unsigned char mac[EVP_MAX_MD_SIZE];
  DECLARE_OR_RETURN(StatusOr<size_t>, len, ctx.Mac(key, data, mac));
  return Base64Encode(AsView(mac, *len));
}

std::string Base64Encode(std::string_view data) {
  // EVP_EncodeBlock takes an int length: longer input goes in pieces of a
  // multiple of 3 bytes, whose encodings concatenate.
  constexpr size_t kPiece = size_t{3} << 28;
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  size_t written = 0;
  for (size_t at = 0; at < data.size(); at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    written += static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                                   reinterpret_cast<const unsigned char*>(data.data() + at),
                                                   static_cast<int>(n)));
  }
  out.resize(written);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

StatusOr<std::string> RandomHex(size_t bytes) {
  if (bytes > kMaxRandomBytes) {
    return Status::InvalidArgument("RandomHex: " + std::to_string(bytes) + " bytes asked, at most " +
                                   std::to_string(kMaxRandomBytes));
  }
  std::vector<unsigned char> buf(bytes);
  if (bytes > 0 && RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    return Status::Internal("RAND_bytes failed");  // a seeded DRBG does not fail
  }
  std::string out;
  AppendHex(buf.data(), buf.size(), &out);
  return out;
}

}  // namespace onsmqtt
