#include "runner/execute/transport.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

TEST(ParseBaseUrl, Table) {
  struct Case {
    std::string url;
    std::string scheme, host;
    int port;
    std::string host_header;
  };
  const Case ok[] = {
      {"http://127.0.0.1:8080", "http", "127.0.0.1", 8080, "127.0.0.1:8080"},
      {"https://onsmqtt.cn-hangzhou.aliyuncs.com", "https", "onsmqtt.cn-hangzhou.aliyuncs.com", 443,
       "onsmqtt.cn-hangzhou.aliyuncs.com"},
      {"HTTPS://h:8443/", "https", "h", 8443, "h:8443"},
      {"http://h", "http", "h", 80, "h"},
  };
  for (const Case& c : ok) {
    auto u = ParseBaseUrl(c.url);
    ASSERT_TRUE(u.ok()) << c.url << ": " << u.status().ToString();
    EXPECT_EQ(u->scheme, c.scheme);
    EXPECT_EQ(u->host, c.host);
    EXPECT_EQ(u->port, c.port);
    EXPECT_EQ(u->HostHeader(), c.host_header);
  }
  const std::pair<std::string, std::string> bad[] = {
      {"localhost:8080", "is not a URL"}, {"ftp://h", "scheme must be http or https"},
      {"http://h:0", "bad port"},         {"http://h:99999", "bad port"},
      {"http://h/api", "give no path"},   {"http://:80", "has no host"},
  };
  for (const auto& [url, msg] : bad) {
    auto u = ParseBaseUrl(url);
    ASSERT_FALSE(u.ok()) << url;
    EXPECT_NE(u.status().message().find(msg), std::string::npos) << u.status().message();
  }
}

TransportOptions Options(const std::string& url, const std::string& ca_file = "") {
  TransportOptions o;
  o.base_url = url;
  o.ca_file = ca_file;
  o.connect_timeout = std::chrono::milliseconds(2000);
  return o;
}

class EchoServer {
 public:
  EchoServer() {
    auto echo = [](const httplib::Request& req, httplib::Response& res) {
      std::string out = req.method + " " + req.target + "\n";
      out += "host=" + req.get_header_value("Host") + "\n";
      out += "x-custom=" + req.get_header_value("x-custom") + "\n";
      out += "body=" + req.body;
      res.set_header("x-acs-request-id", "ID");
      res.status = 418;
      res.set_content(out, "text/plain");
    };
    server_.Get("/", echo);
    server_.Post("/", echo);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~EchoServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_;
};

TEST(Transport, SendsTheRequestExactlyAsGiven) {
  EchoServer server;
  auto t = Transport::Create(Options("http://127.0.0.1:" + std::to_string(server.port())));
  ASSERT_TRUE(t.ok());
  HttpRequest req;
  req.method = "POST";
  req.query = "A=x%2Ay&B=%20";  // pre-encoded: must reach the server untouched
  req.headers = {{"Host", "onsmqtt.cn-shanghai.aliyuncs.com"},
                 {"x-custom", "1"},
                 {"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = "C=3";
  for (int i = 0; i < 3; ++i) {  // keep-alive: the same connection serves several calls
    HttpAnswer a = (*t)->Send(req);
    ASSERT_TRUE(a.ok()) << a.error_message;
    EXPECT_EQ(a.status, 418);
    EXPECT_EQ(a.body, "POST /?A=x%2Ay&B=%20\nhost=onsmqtt.cn-shanghai.aliyuncs.com\nx-custom=1\nbody=C=3");
    ASSERT_NE(FindHeader(a.headers, "X-ACS-Request-Id"), nullptr);
    EXPECT_EQ(*FindHeader(a.headers, "x-acs-request-id"), "ID");
  }
}

TEST(Transport, RefusedConnectionIsATypedErrorInWords) {
  int port = testing::ClosedPort();
  auto t = Transport::Create(Options("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_TRUE(t.ok());
  HttpAnswer a = (*t)->Send(HttpRequest{});
  EXPECT_EQ(a.error, TransportError::kConnect);
  EXPECT_EQ(a.status, 0);
  EXPECT_EQ(a.error_message, "cannot reach http://127.0.0.1:" + std::to_string(port) + ": connection refused");
}

// A TCP server on a free loopback port that accepts one connection, reads
// the request, then resets it (`reset`) or says nothing until the client
// gives up and closes.
class RawServer {
 public:
  explicit RawServer(bool reset) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 1);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, reset] {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      (void)n;
      if (reset) {
        linger l{1, 0};  // close with RST instead of FIN
        setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
      } else {
        while (recv(c, buf, sizeof(buf), 0) > 0) {
        }  // until the client closes
      }
      close(c);
    });
  }
  ~RawServer() {
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(Transport, ResetConnectionSaysSo) {
  RawServer server(/*reset=*/true);
  auto t = Transport::Create(Options("http://127.0.0.1:" + std::to_string(server.port())));
  ASSERT_TRUE(t.ok());
  HttpRequest req;
  req.method = "POST";
  HttpAnswer a = (*t)->Send(req);
  EXPECT_EQ(a.error, TransportError::kIo);
  EXPECT_EQ(a.error_message,
            "cannot reach http://127.0.0.1:" + std::to_string(server.port()) + ": connection reset by peer");
}

TEST(Transport, SilentServerIsATimeoutWithItsDuration) {
  RawServer server(/*reset=*/false);
  TransportOptions o = Options("http://127.0.0.1:" + std::to_string(server.port()));
  o.read_timeout = std::chrono::milliseconds(300);
  auto t = Transport::Create(o);
  ASSERT_TRUE(t.ok());
  HttpRequest req;
  req.method = "POST";
  HttpAnswer a = (*t)->Send(req);
  EXPECT_EQ(a.error, TransportError::kTimeout);
  EXPECT_EQ(a.error_message, "cannot reach http://127.0.0.1:" + std::to_string(server.port()) +
                                 ": timed out after 0.3 s waiting for the answer");
}

TEST(FormatDuration, WholeSecondsWithoutDecimals) {
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(5000)), "5 s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(30000)), "30 s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(300)), "0.3 s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1250)), "1.25 s");
}

TEST(Transport, TlsWithAnUnknownCaIsATlsError) {
  httplib::SSLServer server(ONSMQTT_SOURCE_DIR "/fixtures/pki/server.pem",
                            ONSMQTT_SOURCE_DIR "/fixtures/pki/server.key");
  server.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  std::string url = "https://localhost:" + std::to_string(port);
  auto untrusted = Transport::Create(Options(url, ONSMQTT_SOURCE_DIR "/fixtures/pki/ca-a.pem"));
  HttpAnswer bad = (*untrusted)->Send(HttpRequest{});
  EXPECT_EQ(bad.error, TransportError::kTls) << bad.error_message;
  EXPECT_NE(bad.error_message.find("--ca-file"), std::string::npos) << bad.error_message;
  auto trusted = Transport::Create(Options(url, ONSMQTT_SOURCE_DIR "/fixtures/pki/tls-ca.pem"));
  HttpAnswer good = (*trusted)->Send(HttpRequest{});
  EXPECT_TRUE(good.ok()) << good.error_message;
  EXPECT_EQ(good.status, 200);
  server.stop();
  thread.join();
}

}  // namespace
}  // namespace onsmqtt::runner
