#pragma once

// A device for the listener's tests: a blocking OpenSSL TLS client with a
// client certificate, and a read with a deadline (a hang fails the test,
// never stalls it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace onsmqtt::mock::testing {

struct DeviceTls {
  std::string cert_file;  // PEM: the leaf, optionally followed by its chain
  std::string key_file;
  std::string server_name;  // SNI; empty: none
  int max_version = TLS1_2_VERSION;
};

class TlsDevice {
 public:
  TlsDevice() = default;
  ~TlsDevice() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  TlsDevice(const TlsDevice&) = delete;
  TlsDevice& operator=(const TlsDevice&) = delete;

  // TCP connect and TLS handshake; false with *error (OpenSSL's reason).
  bool Connect(int port, const DeviceTls& tls, std::string* error) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(ctx_, tls.max_version);
    if (!tls.cert_file.empty() && (SSL_CTX_use_certificate_chain_file(ctx_, tls.cert_file.c_str()) != 1 ||
                                   SSL_CTX_use_PrivateKey_file(ctx_, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
      *error = "cannot load " + tls.cert_file;
      return false;
    }
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      *error = "cannot connect";
      return false;
    }
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    if (!tls.server_name.empty()) SSL_set_tlsext_host_name(ssl_, tls.server_name.c_str());
    if (SSL_connect(ssl_) == 1) return true;
    char buf[256] = "handshake failed";
    if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    *error = buf;
    return false;
  }

  bool Write(const std::string& bytes) {
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
  }

  // Up to `n` bytes, or fewer when the server closes (*closed) or nothing
  // arrives for 5 s (*timed_out).
  std::string Read(size_t n, bool* closed = nullptr, bool* timed_out = nullptr) {
    std::string got;
    if (closed != nullptr) *closed = false;
    if (timed_out != nullptr) *timed_out = false;
    while (got.size() < n) {
      char buf[4096];
      int r = SSL_read(ssl_, buf, static_cast<int>(std::min(sizeof buf, n - got.size())));
      if (r > 0) {
        got.append(buf, static_cast<size_t>(r));
        continue;
      }
      int e = SSL_get_error(ssl_, r);
      bool timeout = e == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK);
      if (timeout && timed_out != nullptr) *timed_out = true;
      if (!timeout && closed != nullptr) *closed = true;
      ERR_clear_error();
      break;
    }
    return got;
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
};

}  // namespace onsmqtt::mock::testing
