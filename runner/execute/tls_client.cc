#include "runner/execute/tls_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace onsmqtt::runner {
namespace {

using Clock = std::chrono::steady_clock;

TlsStatus Problem(TlsProblem p, std::string message) { return TlsStatus{p, std::move(message)}; }

// The reason of the oldest queued OpenSSL error ("" when none); clears the queue.
std::string TakeSslReason(unsigned long* code = nullptr) {
  unsigned long e = ERR_get_error();
  if (code != nullptr) *code = e;
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  std::string out = reason != nullptr ? reason : (e != 0 ? "error " + std::to_string(e) : "");
  ERR_clear_error();
  return out;
}

bool IsAlertReason(unsigned long code) {
  int reason = ERR_GET_REASON(code);
  return ERR_GET_LIB(code) == ERR_LIB_SSL && reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

X509Ptr ReadCertificate(const std::string& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "5 s", or "250 ms".
std::string TimeoutText(std::chrono::milliseconds t) {
  if (t.count() % 1000 == 0) return std::to_string(t.count() / 1000) + " s";
  return std::to_string(t.count()) + " ms";
}

// OpenSSL writes with write(2): a write to a connection the broker already
// closed (it refused the device) must not kill the process. SIGPIPE is
// ignored unless the embedding program chose a handler (the mock's rule).
void IgnoreSigpipeIfDefault() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
}

bool IsIpAddress(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

struct TlsClient::Impl {
  TlsClientOptions options;
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  // The handshake completed and no fatal error followed: close_notify may
  // be sent (OpenSSL forbids SSL_shutdown after SSL_ERROR_SSL/SYSCALL).
  bool may_shutdown = false;
  double handshake_seconds = 0;

  ~Impl() { Close(); }

  void Close() {
    if (ssl != nullptr) {
      if (may_shutdown) SSL_shutdown(ssl);  // non-blocking: sends close_notify when it can, never waits
      SSL_free(ssl);
      ssl = nullptr;
    }
    if (ctx != nullptr) SSL_CTX_free(ctx);
    ctx = nullptr;
    if (fd >= 0) ::close(fd);
    fd = -1;
    ERR_clear_error();
  }

  // Waits until the socket is readable/writable; false on timeout.
  bool Wait(short events) const {
    pollfd p{fd, events, 0};
    int ms = static_cast<int>(options.timeout.count());
    for (;;) {
      int n = ::poll(&p, 1, ms);
      if (n > 0) return true;
      if (n == 0) return false;
      if (errno != EINTR) return true;  // let the next call report the error
    }
  }

  TlsStatus TcpConnect();
  TlsStatus LoadIdentity();
  // The context: versions, the device's identity, the server's trust.
  TlsStatus Prepare();
  TlsStatus Handshake();
  // After the handshake: what SSL_read/SSL_write's `ret` means.
  TlsStatus IoProblem(int ret, const char* what);
};

TlsStatus TlsClient::Impl::TcpConnect() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string where = options.host + ":" + std::to_string(options.port);
  int rc = ::getaddrinfo(options.host.c_str(), std::to_string(options.port).c_str(), &hints, &found);
  if (rc != 0)
    return Problem(TlsProblem::kUnreachable, "cannot resolve \"" + options.host + "\" (" + gai_strerror(rc) + ")");
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, ::freeaddrinfo);
  std::string last = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return {};
    if (errno == EINPROGRESS) {
      if (!Wait(POLLOUT)) {
        ::close(fd);
        fd = -1;
        return Problem(TlsProblem::kTimeout,
                       "timed out after " + TimeoutText(options.timeout) + " connecting to " + where);
      }
      int err = 0;
      socklen_t len = sizeof(err);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) return {};
      errno = err;
    }
    last = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  return Problem(TlsProblem::kUnreachable, "cannot reach " + where + ": " + Lower(last));
}

TlsStatus TlsClient::Impl::LoadIdentity() {
  X509Ptr leaf = ReadCertificate(options.certificate_pem);
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return Problem(TlsProblem::kIdentity, "the device certificate is not a PEM certificate (" + TakeSslReason() + ")");
  }
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(options.key_pem.data(), static_cast<int>(options.key_pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr) {
    return Problem(TlsProblem::kIdentity, "the device key is not a PEM private key (" + TakeSslReason() + ")");
  }
  int used = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (used != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return Problem(TlsProblem::kIdentity, "the device key is not the certificate's (" + TakeSslReason() + ")");
  }
  for (size_t i = 0; i < options.chain_pems.size(); ++i) {
    X509Ptr extra = ReadCertificate(options.chain_pems[i]);
    // add0: the context owns it from here on.
    if (!extra || SSL_CTX_add0_chain_cert(ctx, extra.get()) != 1) {
      return Problem(TlsProblem::kIdentity, "chain certificate " + std::to_string(i + 1) + " is not a PEM certificate");
    }
    extra.release();
  }
  return {};
}

TlsStatus TlsClient::Impl::Prepare() {
  ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Problem(TlsProblem::kOther, "SSL_CTX_new failed: " + TakeSslReason());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (options.max_version == "1.2") SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  // The device sends exactly the chain it was given: nothing is built
  // from a store.
  SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
  if (TlsStatus s = LoadIdentity(); !s.ok()) return s;
  if (options.verify_server) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    X509Ptr ca = options.ca_pem.empty() ? nullptr : ReadCertificate(options.ca_pem);
    if (!options.ca_pem.empty() && !ca) return Problem(TlsProblem::kIdentity, "mqtt.ca is not a PEM certificate");
    if (ca) {
      X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca.get());
    } else {
      SSL_CTX_set_default_verify_paths(ctx);
    }
  }
  return {};
}

TlsStatus TlsClient::Impl::Handshake() {
  ssl = SSL_new(ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1)
    return Problem(TlsProblem::kOther, "SSL_new failed: " + TakeSslReason());
  if (std::string sni = SentServerName(options.server_name); !sni.empty()) SSL_set_tlsext_host_name(ssl, sni.c_str());
  auto start = Clock::now();
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int ret = SSL_connect(ssl);
    if (ret == 1) break;
    int err = SSL_get_error(ssl, ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
        return Problem(TlsProblem::kTimeout,
                       "timed out after " + TimeoutText(options.timeout) + " in the TLS handshake");
      }
      continue;
    }
    int saved_errno = errno;
    unsigned long code = 0;
    std::string reason = TakeSslReason(&code);
    if (err == SSL_ERROR_SSL && ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
      return Problem(TlsProblem::kUntrusted, std::string("the MQTT server's certificate was not accepted (") +
                                                 X509_verify_cert_error_string(SSL_get_verify_result(ssl)) + ")");
    }
    if (reason.empty()) {
      reason = saved_errno != 0 ? "connection " + Lower(std::strerror(saved_errno)) + " during the TLS handshake"
                                : "the server closed the connection during the TLS handshake";
    }
    return Problem(TlsProblem::kRefused, reason);
  }
  handshake_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  may_shutdown = true;
  return {};
}

TlsStatus TlsClient::Impl::IoProblem(int ret, const char* what) {
  int err = SSL_get_error(ssl, ret);
  if (err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL) may_shutdown = false;
  int saved_errno = errno;
  unsigned long code = 0;
  std::string reason = TakeSslReason(&code);
  if (err == SSL_ERROR_ZERO_RETURN)
    return Problem(TlsProblem::kClosed, "the server closed the connection (close_notify)");
  if (err == SSL_ERROR_SSL && IsAlertReason(code)) return Problem(TlsProblem::kAlert, reason);
  if (err == SSL_ERROR_SSL && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    return Problem(TlsProblem::kClosed, "the server closed the connection");
  }
  if (err == SSL_ERROR_SYSCALL) {
    if (saved_errno == 0) return Problem(TlsProblem::kClosed, "the server closed the connection");
    if (saved_errno == ECONNRESET || saved_errno == EPIPE) {
      return Problem(TlsProblem::kClosed, "connection " + Lower(std::strerror(saved_errno)));
    }
    return Problem(TlsProblem::kOther, std::string(what) + " failed: " + Lower(std::strerror(saved_errno)));
  }
  return Problem(TlsProblem::kOther, std::string(what) + " failed: " + (reason.empty() ? "unknown error" : reason));
}

TlsClient::TlsClient(TlsClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}
TlsClient::~TlsClient() = default;

TlsStatus TlsClient::Connect() {
  IgnoreSigpipeIfDefault();
  if (TlsStatus s = impl_->Prepare(); !s.ok()) return s;
  if (TlsStatus s = impl_->TcpConnect(); !s.ok()) return s;
  return impl_->Handshake();
}

TlsStatus TlsClient::Write(std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ERR_clear_error();
    errno = 0;
    int ret = SSL_write(impl_->ssl, data.data() + done, static_cast<int>(data.size() - done));
    if (ret > 0) {
      done += static_cast<size_t>(ret);
      continue;
    }
    int err = SSL_get_error(impl_->ssl, ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!impl_->Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
        return Problem(TlsProblem::kTimeout, "timed out after " + TimeoutText(impl_->options.timeout) + " writing");
      }
      continue;
    }
    return impl_->IoProblem(ret, "write");
  }
  return {};
}

TlsStatus TlsClient::Read(std::string* out) {
  char buf[4096];
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int ret = SSL_read(impl_->ssl, buf, sizeof(buf));
    if (ret > 0) {
      out->append(buf, static_cast<size_t>(ret));
      return {};
    }
    int err = SSL_get_error(impl_->ssl, ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      if (!impl_->Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
        return Problem(TlsProblem::kTimeout,
                       "timed out after " + TimeoutText(impl_->options.timeout) + " waiting for the server");
      }
      continue;
    }
    return impl_->IoProblem(ret, "read");
  }
}

void TlsClient::Close() { impl_->Close(); }

std::string TlsClient::protocol_version() const { return impl_->ssl != nullptr ? SSL_get_version(impl_->ssl) : ""; }

double TlsClient::handshake_seconds() const { return impl_->handshake_seconds; }

std::string SentServerName(const std::string& name) { return IsIpAddress(name) ? "" : name; }

StatusOr<CertificateSummary> SummarizeCertificate(const std::string& pem) {
  X509Ptr cert = ReadCertificate(pem);
  ERR_clear_error();
  if (!cert) return Status::InvalidArgument("not a PEM certificate");
  CertificateSummary out;
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr);
  char* hex = bn != nullptr ? BN_bn2hex(bn) : nullptr;
  out.sn = Lower(hex != nullptr ? hex : "");
  OPENSSL_free(hex);
  BN_free(bn);
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index >= 0) {
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
    if (len >= 0) out.cn.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return out;
}

}  // namespace onsmqtt::runner
