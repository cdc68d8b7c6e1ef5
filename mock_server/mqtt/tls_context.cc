#include "mock_server/mqtt/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <memory>

namespace onsmqtt::mock {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// `what`, then OpenSSL's reasons in parentheses when it gave any.
std::string Explain(const std::string& what) {
  std::string why = TakeSslErrors("");
  return why.empty() ? what : what + " (" + why + ")";
}

BioPtr ReadBio(const std::string& text) { return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))); }

Status LoadIdentity(SSL_CTX* ctx, const std::string& certificate_pem, const std::string& key_pem) {
  BioPtr certs = ReadBio(certificate_pem);
  X509* leaf = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr) return Status::InvalidArgument("the MQTT server certificate is not a PEM certificate");
  int used = SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  if (used != 1) return Status::InvalidArgument(Explain("the MQTT server certificate cannot be used"));
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      return Status::InvalidArgument(Explain("a chain certificate of the MQTT server cannot be used"));
    }
  }
  ERR_clear_error();  // the end of the PEM text
  BioPtr key_bio = ReadBio(key_pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return Status::InvalidArgument("the MQTT server key is not a PEM private key");
  used = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (used != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return Status::InvalidArgument(Explain("the MQTT server key does not match its certificate"));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<SslCtxPtr> CreateServerContext(const std::string& certificate_pem, const std::string& key_pem,
                                        const std::string& tls_version, SSL_verify_cb verify) {
  if (tls_version != "1.2" && tls_version != "1.3") {
    return Status::InvalidArgument("MQTT TLS version must be 1.2 or 1.3, got \"" + tls_version + "\"");
  }
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return Status::Internal(TakeSslErrors("SSL_CTX_new failed"));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), tls_version == "1.2" ? TLS1_2_VERSION : TLS1_3_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  // Idle devices keep no read/write buffers (bench/mqtt.sh: 32 -> 23 KB per connection).
  SSL_CTX_set_mode(ctx.get(),
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify);
  if (Status s = LoadIdentity(ctx.get(), certificate_pem, key_pem); !s.ok()) return s;
  return ctx;
}

std::string ToPem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), cert) != 1) return std::string();
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string TakeSslErrors(const std::string& fallback) {
  std::string all;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!all.empty()) all += "; ";
    all += buf;
  }
  return all.empty() ? fallback : all;
}

}  // namespace onsmqtt::mock
