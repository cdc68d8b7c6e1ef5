#pragma once

// Internal to mock_server/mqtt: includes OpenSSL.
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "contract/status.h"

namespace onsmqtt::mock {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// A server context from PEM text: the first certificate is the server's,
// further ones its chain; `key_pem` its private key. `tls_version` is
// "1.2" (1.2 only) or "1.3" (1.2 and 1.3). A client certificate is
// required; `verify` is the verify callback (it sees every certificate
// and decides; the context has no trust store of its own). Sessions are
// neither cached nor resumed: every connect shows its certificate.
StatusOr<SslCtxPtr> CreateServerContext(const std::string& certificate_pem, const std::string& key_pem,
                                        const std::string& tls_version, SSL_verify_cb verify);

// PEM text of `cert`, "" on failure.
std::string ToPem(X509* cert);
// OpenSSL's error queue as one line (and cleared), or `fallback`.
std::string TakeSslErrors(const std::string& fallback);

}  // namespace onsmqtt::mock
