#include "runner/transport.h"

#include <gtest/gtest.h>
#include <httplib.h>

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

TEST(Transport, RefusedConnectionIsATypedError) {
  int port = testing::ClosedPort();
  auto t = Transport::Create(Options("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_TRUE(t.ok());
  HttpAnswer a = (*t)->Send(HttpRequest{});
  EXPECT_EQ(a.error, TransportError::kConnect);
  EXPECT_EQ(a.status, 0);
  EXPECT_NE(a.error_message.find("cannot reach http://127.0.0.1:" + std::to_string(port)), std::string::npos)
      << a.error_message;
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
