#include "runner/transport.h"

#include <httplib.h>

#include <chrono>

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

namespace {

TransportError Classify(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return TransportError::kConnect;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return TransportError::kTls;
    case httplib::Error::ConnectionTimeout:
      return TransportError::kTimeout;
    case httplib::Error::Read:
    case httplib::Error::Write:
      return TransportError::kIo;
    default:
      return TransportError::kOther;
  }
}

}  // namespace

class Transport::Impl {
 public:
  // The scheme-specific clients, not httplib::Client("scheme://host"): its
  // URL parsing shares a std::regex between threads.
  Impl(BaseUrl url, const TransportOptions& options) : url_(std::move(url)) {
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
    httplib::Result res = client_->send(r);
    HttpAnswer out;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (too_large) {
      out.error = TransportError::kOther;
      out.error_message = "the answer of " + url_.scheme + "://" + url_.HostHeader() + " is larger than " +
                          std::to_string(kMaxAnswerBytes) + " bytes, the runner's limit for an answer";
      return out;
    }
    if (!res) {
      out.error = Classify(res.error());
      out.error_message = Describe(res);
      return out;
    }
    out.status = res->status;
    for (const auto& [k, v] : res->headers) out.headers.emplace_back(k, v);
    out.body = std::move(body);
    return out;
  }

  const BaseUrl& url() const { return url_; }

 private:
  std::string Describe(const httplib::Result& res) const {
    std::string where = url_.scheme + "://" + url_.HostHeader();
    std::string msg = httplib::to_string(res.error());
    if (res.error() == httplib::Error::SSLServerVerification && ssl_ != nullptr) {
      long code = ssl_->get_openssl_verify_result();
      msg += " (" + std::string(X509VerifyMessage(code)) + "; pass --ca-file with the server's CA)";
    }
    return "cannot reach " + where + ": " + msg;
  }

  static const char* X509VerifyMessage(long code) { return X509_verify_cert_error_string(code); }

  BaseUrl url_;
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
