#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "contract/http_message.h"
#include "contract/status.h"

// The runner's HTTP client: sends one signed request exactly as given
// (method, target, headers including Host, body) and returns the answer or
// a typed transport error. cpp-httplib stays inside transport.cc.
namespace onsmqtt::runner {

// An answer body larger than this is a transport error (kOther), and no
// more of it is read.
inline constexpr size_t kMaxAnswerBytes = 16u << 20;

struct TransportOptions {
  // "http://127.0.0.1:8080" or "https://onsmqtt.cn-hangzhou.aliyuncs.com[:port]".
  std::string base_url;
  std::string ca_file;    // PEM bundle to verify the server with (HTTPS); empty: system store
  bool insecure = false;  // HTTPS without certificate verification (debugging only)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
};

// A parsed base URL.
struct BaseUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // "127.0.0.1", "onsmqtt.cn-hangzhou.aliyuncs.com"
  int port = 0;        // explicit or the scheme's default
  bool explicit_port = false;

  // The Host header value a client sends: host, plus ":port" when given.
  std::string HostHeader() const;
};

// kInvalidArgument with the reason when `url` is not http(s)://host[:port][/].
StatusOr<BaseUrl> ParseBaseUrl(const std::string& url);

enum class TransportError {
  kNone,
  kConnect,  // refused, unreachable, DNS
  kTls,      // handshake or certificate verification
  kTimeout,  // connect or read timed out
  kIo,       // the connection broke while reading or writing
  kOther,
};

const char* TransportErrorName(TransportError e);  // "connect", "tls", ...

// "5 s", "0.3 s", "1.25 s": a timeout as the error messages give it.
std::string FormatDuration(std::chrono::milliseconds d);

struct HttpAnswer {
  TransportError error = TransportError::kNone;
  // One line naming the target and the cause in words:
  //   "cannot reach http://127.0.0.1:8080: connection refused"
  //   "...: connection reset by peer", "...: timed out after 30 s waiting for the answer",
  //   "...: cannot resolve host \"x\" (...)", "...: TLS handshake failed", ...
  std::string error_message;
  int status = 0;  // 0 when error != kNone
  HeaderList headers;
  std::string body;
  double seconds = 0;

  bool ok() const { return error == TransportError::kNone; }
};

// One keep-alive connection to the base URL. Not thread-safe: give each
// worker its own Transport.
class Transport {
 public:
  // REQUIRES: options.base_url parses (see ParseBaseUrl); Create checks it.
  static StatusOr<std::unique_ptr<Transport>> Create(const TransportOptions& options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends `req` (req.path + "?" + req.query, headers as given, body).
  HttpAnswer Send(const HttpRequest& req);

  const BaseUrl& base_url() const;

 private:
  class Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace onsmqtt::runner
