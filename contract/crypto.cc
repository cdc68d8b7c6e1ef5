#include "contract/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace onsmqtt {

namespace {

// Algorithms are fetched once per process (OpenSSL 3's implicit fetch in
// EVP_sha256()/HMAC() costs a provider lookup per call); contexts are
// per thread and reused, so nothing here takes a lock on the hot path.
const EVP_MD* FetchedMd(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) throw std::runtime_error(std::string("EVP_MD_fetch failed: ") + name);
  return md;  // kept for the life of the process
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = FetchedMd("SHA256");
  return md;
}

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) throw std::runtime_error("EVP_MAC_fetch(HMAC) failed");
    return m;
  }();
  return mac;
}

// A thread's HMAC context bound to one digest (set once: EVP_MAC_init with
// only a key then reuses the digest instead of fetching it again).
class HmacContext {
 public:
  explicit HmacContext(const char* digest) : ctx_(EVP_MAC_CTX_new(HmacAlgorithm())) {
    char name[16];
    OPENSSL_strlcpy(name, digest, sizeof(name));
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0), OSSL_PARAM_END};
    if (ctx_ == nullptr || EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      throw std::runtime_error("HMAC context setup failed");
    }
  }
  ~HmacContext() { EVP_MAC_CTX_free(ctx_); }
  HmacContext(const HmacContext&) = delete;
  HmacContext& operator=(const HmacContext&) = delete;

  // Writes the MAC into out (EVP_MAX_MD_SIZE bytes); returns its length.
  size_t Mac(std::string_view key, std::string_view data, unsigned char* out) {
    size_t len = 0;
    // A zero-length key must still be a key (not "keep the previous one").
    static const unsigned char kEmpty[1] = {0};
    const unsigned char* k = key.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx_, k, key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
        EVP_MAC_final(ctx_, out, &len, EVP_MAX_MD_SIZE) != 1) {
      throw std::runtime_error("HMAC failed");
    }
    return len;
  }

 private:
  EVP_MAC_CTX* ctx_;
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

std::string Sha256Hex(std::string_view data) {
  // The payload hash of every request without a body (V3 GET, and POST with
  // parameters in the query): no digest to run.
  if (data.empty()) return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  thread_local DigestContext ctx;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  std::string out;
  AppendHex(digest, len, &out);
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  thread_local HmacContext ctx("SHA256");
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = ctx.Mac(key, data, mac);
  std::string out;
  AppendHex(mac, len, &out);
  return out;
}

std::string HmacSha1Base64(std::string_view key, std::string_view data) {
  thread_local HmacContext ctx("SHA1");
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = ctx.Mac(key, data, mac);
  return Base64Encode(AsView(mac, len));
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("RAND_bytes failed");  // cannot happen with a seeded DRBG
  }
  std::string out;
  AppendHex(buf.data(), buf.size(), &out);
  return out;
}

}  // namespace onsmqtt
