#include "runner/execute/transport.h"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#if defined(__SANITIZE_THREAD__)
#define ONSMQTT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ONSMQTT_TSAN 1
#endif
#endif

namespace onsmqtt::runner {

std::string BaseUrl::HostHeader() const { return explicit_port ? host + ":" + std::to_string(port) : host; }

StatusOr<BaseUrl> ParseBaseUrl(const std::string& url) {
  BaseUrl out;
  size_t sep = url.find("://");
  if (sep == std::string::npos) {
    return Status::InvalidArgument("target \"" + url +
                                   "\" is not a URL; use http://host[:port] or https://host[:port]");
  }
  out.scheme = ToLower(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https") {
    return Status::InvalidArgument("target \"" + url + "\": scheme must be http or https");
  }
  std::string rest = url.substr(sep + 3);
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    if (rest.find_first_not_of('/', slash) != std::string::npos) {
      return Status::InvalidArgument("target \"" + url + "\": the API lives at \"/\"; give no path");
    }
    rest = rest.substr(0, slash);
  }
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      return Status::InvalidArgument("target \"" + url + "\": bad port \"" + port + "\"");
    }
    out.port = std::stoi(port);
    out.explicit_port = true;
    rest = rest.substr(0, colon);
  } else {
    out.port = out.scheme == "https" ? 443 : 80;
  }
  if (rest.empty()) return Status::InvalidArgument("target \"" + url + "\" has no host");
  out.host = rest;
  return out;
}

const char* TransportErrorName(TransportError e) {
  switch (e) {
    case TransportError::kNone:
      return "none";
    case TransportError::kConnect:
      return "connect";
    case TransportError::kTls:
      return "tls";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kIo:
      return "io";
    case TransportError::kOther:
      return "other";
  }
  return "?";
}

std::string FormatDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count() < 0 ? 0 : d.count();
  std::string out = std::to_string(ms / 1000);
  if (int64_t frac = ms % 1000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits = std::string(3 - digits.size(), '0') + digits;
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + " s";
}

namespace {

// An errno of connect() in words.
std::string ConnectErrnoWords(int err, std::chrono::milliseconds timeout) {
  switch (err) {
    case ECONNREFUSED:
      return "connection refused";
    case ENETUNREACH:
      return "network is unreachable";
    case EHOSTUNREACH:
      return "no route to host";
    case ETIMEDOUT:
      return "timed out after " + FormatDuration(timeout) + " while connecting";
    default:
      return std::string("cannot connect: ") + std::strerror(err);
  }
}

// httplib reports every failed connect as Error::Connection, without the
// cause. This second attempt, on the failure path only, finds it: the name
// does not resolve, or connect() fails with an errno, or nothing answers
// within the connect timeout.
std::string DiagnoseConnect(const BaseUrl& url, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int gai = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &found);
  if (gai != 0 || found == nullptr) {
    return "cannot resolve host \"" + url.host + "\" (" + gai_strerror(gai) + ")";
  }
  std::string words = "cannot connect";
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, found->ai_protocol);
  if (fd >= 0) {
    int rc = connect(fd, found->ai_addr, found->ai_addrlen);
    int err = rc == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int ready = poll(&p, 1, static_cast<int>(timeout.count()));
      socklen_t len = sizeof(err);
      if (ready == 0) {
        err = ETIMEDOUT;
      } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        err = errno;
      }
    }
    words = err == 0 ? "the connection failed (a second attempt succeeded)" : ConnectErrnoWords(err, timeout);
    close(fd);
  }
  freeaddrinfo(found);
  return words;
}

// Debian's cpp-httplib is a compiled library without ThreadSanitizer's
// instrumentation, so TSan cannot see the guards of its function-local
// statics: the std::regex that reads a response line is built on first use,
// and every other thread's first answer then looks like a race on it. Under
// TSan the process's first exchange that gets an answer is made under a lock
// the other threads' first exchanges wait for, and published with a release
// store. Without TSan the guards do this job and nothing is added.
httplib::Result SendPublished(httplib::ClientImpl& client, httplib::Request& request) {
#ifdef ONSMQTT_TSAN
  static std::mutex mu;
  static std::atomic<bool> published{false};
  if (!published.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(mu);
    if (!published.load(std::memory_order_relaxed)) {
      httplib::Result res = client.send(request);
      if (res) published.store(true, std::memory_order_release);
      return res;
    }
  }
#endif
  return client.send(request);
}

}  // namespace

class Transport::Impl {
 public:
  // The scheme-specific clients, not httplib::Client("scheme://host"): its
  // URL parsing shares a std::regex between threads.
  Impl(BaseUrl url, const TransportOptions& options)
      : url_(std::move(url)),
        ca_file_(options.ca_file),
        connect_timeout_(options.connect_timeout),
        read_timeout_(options.read_timeout) {
    if (url_.scheme == "https") {
      auto ssl = std::make_unique<httplib::SSLClient>(url_.host, url_.port);
      ssl_ = ssl.get();
      client_ = std::move(ssl);
      if (!options.ca_file.empty()) client_->set_ca_cert_path(options.ca_file);
      client_->enable_server_certificate_verification(!options.insecure);
    } else {
      client_ = std::make_unique<httplib::ClientImpl>(url_.host, url_.port);
    }
    client_->set_keep_alive(true);
    client_->set_url_encode(false);  // the signer already encoded the query
    client_->set_connection_timeout(options.connect_timeout);
    client_->set_read_timeout(options.read_timeout);
    client_->set_write_timeout(options.write_timeout);
  }

  HttpAnswer Send(const HttpRequest& req) {
    httplib::Request r;
    r.method = req.method;
    r.path = req.Target();
    for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
    r.body = req.body;
    // The body is collected here, so that a hostile endpoint's endless
    // answer stops at the limit instead of filling the memory.
    std::string body;
    bool too_large = false;
    r.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
      too_large = body.size() + len > kMaxAnswerBytes;
      if (!too_large) body.append(data, len);
      return !too_large;
    };
    auto start = std::chrono::steady_clock::now();
    errno = 0;
    httplib::Result res = SendPublished(*client_, r);
    int err = errno;  // what the failing socket call left; see Explain()
    auto elapsed = std::chrono::steady_clock::now() - start;
    HttpAnswer out;
    out.seconds = std::chrono::duration<double>(elapsed).count();
    if (too_large) {
      out.error = TransportError::kOther;
      out.error_message = "the answer of " + url_.scheme + "://" + url_.HostHeader() + " is larger than " +
                          std::to_string(kMaxAnswerBytes) + " bytes, the runner's limit for an answer";
      return out;
    }
    if (!res) {
      Explain(res.error(), err, std::chrono::duration_cast<std::chrono::milliseconds>(elapsed), &out);
      return out;
    }
    out.status = res->status;
    for (const auto& [k, v] : res->headers) out.headers.emplace_back(k, v);
    out.body = std::move(body);
    return out;
  }

  const BaseUrl& url() const { return url_; }

 private:
  // Sets out->error and out->error_message from httplib's error, the errno
  // the library's socket calls left and the time the call took. httplib
  // gives no cause for failed reads: a read that ends at the read timeout
  // timed out; after a reset (RST) its shutdown() of the socket fails with
  // ENOTCONN, while after an orderly close (FIN) it succeeds.
  void Explain(httplib::Error e, int err, std::chrono::milliseconds elapsed, HttpAnswer* out) const {
    auto kind = TransportError::kOther;
    std::string why;
    const bool reset = err == ENOTCONN || err == ECONNRESET || err == EPIPE;
    switch (e) {
      case httplib::Error::Connection:
        kind = TransportError::kConnect;
        why = DiagnoseConnect(url_, connect_timeout_);
        if (why.find("timed out") != std::string::npos) kind = TransportError::kTimeout;
        break;
      case httplib::Error::ConnectionTimeout:
        kind = TransportError::kTimeout;
        why = "timed out after " + FormatDuration(connect_timeout_) + " while connecting";
        break;
      case httplib::Error::Read:
        kind = TransportError::kIo;
        if (elapsed + std::chrono::milliseconds(20) >= read_timeout_) {
          kind = TransportError::kTimeout;
          why = "timed out after " + FormatDuration(read_timeout_) + " waiting for the answer";
        } else {
          why = reset ? "connection reset by peer" : "the server closed the connection before answering";
        }
        break;
      case httplib::Error::Write:
        kind = TransportError::kIo;
        why = reset ? "connection reset by peer while sending the request"
                    : "the connection broke while sending the request";
        break;
      case httplib::Error::SSLConnection:
        kind = TransportError::kTls;
        why = "TLS handshake failed (is it an https:// server?)";
        break;
      case httplib::Error::SSLLoadingCerts:
        kind = TransportError::kTls;
        why = "cannot load the CA certificates" + (ca_file_.empty() ? std::string() : " of --ca-file " + ca_file_);
        break;
      case httplib::Error::SSLServerVerification:
        kind = TransportError::kTls;
        why = "the server's certificate was not accepted";
        if (ssl_ != nullptr) why += " (" + std::string(X509VerifyMessage(ssl_->get_openssl_verify_result())) + ")";
        why += "; pass --ca-file with the server's CA";
        break;
      case httplib::Error::BindIPAddress:
        kind = TransportError::kConnect;
        why = "cannot bind the local address";
        break;
      default:
        why = httplib::to_string(e);
    }
    out->error = kind;
    out->error_message = "cannot reach " + url_.scheme + "://" + url_.HostHeader() + ": " + why;
  }

  static const char* X509VerifyMessage(long code) { return X509_verify_cert_error_string(code); }

  BaseUrl url_;
  std::string ca_file_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds read_timeout_;
  std::unique_ptr<httplib::ClientImpl> client_;
  httplib::SSLClient* ssl_ = nullptr;  // client_, when HTTPS
};

StatusOr<std::unique_ptr<Transport>> Transport::Create(const TransportOptions& options) {
  StatusOr<BaseUrl> url = ParseBaseUrl(options.base_url);
  if (!url.ok()) return url.status();
  return std::unique_ptr<Transport>(new Transport(std::make_unique<Impl>(*url, options)));
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() = default;

HttpAnswer Transport::Send(const HttpRequest& req) { return impl_->Send(req); }
const BaseUrl& Transport::base_url() const { return impl_->url(); }

}  // namespace onsmqtt::runner
