// The classification of a device connection's outcome, against a small
// OpenSSL server inside the test that misbehaves on purpose (an alert in
// the handshake or after it, a close without CONNACK, silence, a CONNACK
// with a chosen code). The real broker's answers are covered end to end
// (runner/e2e_mqtt_test.cc).
#include "runner/execute/device_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "contract/yaml_tree.h"
#include "runner/execute/device_client_test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::Pki;

enum class Behaviour { kConnack, kCloseAfterConnect, kSilent, kCloseAfterHandshake };

struct ServerOptions {
  Behaviour behaviour = Behaviour::kConnack;
  int connack_code = 0;
  const char* client_ca = "ca-a.pem";  // the devices the server accepts
  bool tls13 = false;                  // false: TLS 1.2 only (the mock's default)
};

// Serves one connection on 127.0.0.1:<port()>, then stops.
class OneShotServer {
 public:
  explicit OneShotServer(ServerOptions options) : options_(options) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listener_, 1);
    socklen_t len = sizeof(addr);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  SSL_CTX* Context() const {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, options_.tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_use_certificate_chain_file(ctx, (std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/server.pem").c_str());
    SSL_CTX_use_PrivateKey_file(ctx, (std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/server.key").c_str(),
                                SSL_FILETYPE_PEM);
    SSL_CTX_load_verify_locations(
        ctx, (std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/" + options_.client_ca).c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    return ctx;
  }

  // Reads until the client closes (or 5 s pass).
  static void Drain(SSL* ssl) {
    char buf[256];
    while (SSL_read(ssl, buf, sizeof(buf)) > 0) {
    }
  }

  void Serve() {
    int fd = ::accept(listener_, nullptr, nullptr);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    SSL_CTX* ctx = Context();
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1 && options_.behaviour != Behaviour::kCloseAfterHandshake) {
      char buf[512];
      int n = SSL_read(ssl, buf, sizeof(buf));  // the CONNECT (small: one record)
      if (n > 0 && options_.behaviour == Behaviour::kConnack) {
        std::string connack =
            mqtt::EncodeConnack(mqtt::Version::k311, {false, static_cast<uint8_t>(options_.connack_code)});
        SSL_write(ssl, connack.data(), static_cast<int>(connack.size()));
      }
      if (options_.behaviour != Behaviour::kCloseAfterConnect) Drain(ssl);
    } else if (options_.tls13) {
      Drain(ssl);  // a TLS 1.3 refusal reaches the client at its first read
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ::close(fd);
    ERR_clear_error();
  }

  ServerOptions options_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// A short timeout: the misbehaving servers below make the client wait.
TlsClientOptions Device(int port, const std::string& device) {
  TlsClientOptions o = testing::Device(port, device);
  o.timeout = std::chrono::milliseconds(2000);
  return o;
}

mqtt::Connect Connect311() {
  mqtt::Connect c;
  c.client_id = "GID_test@@@device";
  return c;
}

TEST(DeviceClient, AConnackIsItsCode) {
  for (int code : {0, 5}) {
    OneShotServer server({Behaviour::kConnack, code});
    DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), Connect311());
    EXPECT_EQ(o.kind, DeviceOutcomeKind::kConnack) << o.reason;
    EXPECT_EQ(o.code, code);
    EXPECT_EQ(o.tls_version, "TLSv1.2");
    EXPECT_GT(o.handshake_seconds, 0);
  }
  OneShotServer server({Behaviour::kConnack, 5});
  DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), Connect311());
  EXPECT_EQ(DescribeOutcome(o, mqtt::Version::k311), "connack 5 (not authorized)");
}

TEST(DeviceClient, AnAlertInTheHandshakeIsATlsRefusalWithOpenSslsReason) {
  OneShotServer server({Behaviour::kConnack, 0, "ca-b.pem"});  // the server trusts another CA
  DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kRefusedTls) << o.reason;
  EXPECT_NE(o.reason.find("alert"), std::string::npos) << o.reason;
  EXPECT_EQ(DescribeOutcome(o, mqtt::Version::k311).rfind("refused: tls (", 0), 0u);
}

TEST(DeviceClient, ATls13RefusalAfterTheHandshakeIsATlsRefusalToo) {
  ServerOptions options{Behaviour::kConnack, 0, "ca-b.pem", true};
  OneShotServer server(options);
  DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kRefusedTls) << o.reason;
  EXPECT_NE(o.reason.find("alert"), std::string::npos) << o.reason;
}

TEST(DeviceClient, ACloseBeforeConnackIsClosed) {
  OneShotServer server({Behaviour::kCloseAfterConnect});
  DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kClosed) << o.reason;
  EXPECT_EQ(DescribeOutcome(o, mqtt::Version::k311).rfind("closed (", 0), 0u);
}

TEST(DeviceClient, HandshakeOnlySendsNothing) {
  OneShotServer server({Behaviour::kCloseAfterHandshake});
  DeviceOutcome o = ConnectDevice(Device(server.port(), "device-a-active"), std::nullopt);
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kHandshakeOk) << o.reason;
  EXPECT_EQ(DescribeOutcome(o, mqtt::Version::k311), "handshake ok");
}

TEST(DeviceClient, SilenceIsATimeoutNotAHang) {
  OneShotServer server({Behaviour::kSilent});
  TlsClientOptions device = Device(server.port(), "device-a-active");
  device.timeout = std::chrono::milliseconds(300);
  DeviceOutcome o = ConnectDevice(device, Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kError);
  EXPECT_TRUE(o.transport);
  EXPECT_EQ(o.reason, "timed out after 300 ms waiting for the server (waiting for CONNACK)");
  EXPECT_LT(o.seconds, 3.0);
}

TEST(DeviceClient, AnUntrustedServerIsAnErrorNotARefusal) {
  OneShotServer server({Behaviour::kCloseAfterHandshake});
  TlsClientOptions device = Device(server.port(), "device-a-active");
  device.ca_pem = Pki("ca-a.pem");  // not the server's CA
  DeviceOutcome o = ConnectDevice(device, Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kError);
  EXPECT_FALSE(o.transport);
  EXPECT_NE(o.reason.find("the MQTT server's certificate was not accepted"), std::string::npos) << o.reason;
}

TEST(DeviceClient, NobodyListeningIsATransportError) {
  int port = 0;
  {
    OneShotServer server({Behaviour::kCloseAfterHandshake});
    port = server.port();
    ConnectDevice(Device(port, "device-a-active"), std::nullopt);
  }
  DeviceOutcome o = ConnectDevice(Device(port, "device-a-active"), Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kError);
  EXPECT_TRUE(o.transport);
  EXPECT_EQ(o.reason, "cannot reach 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(DeviceClient, ABadIdentityIsAnErrorBeforeAnythingIsSent) {
  TlsClientOptions device = Device(1, "device-a-active");
  device.key_pem = Pki("device-a-inactive.key");  // another certificate's key
  DeviceOutcome o = ConnectDevice(device, Connect311());
  EXPECT_EQ(o.kind, DeviceOutcomeKind::kError);
  EXPECT_FALSE(o.transport);
  EXPECT_NE(o.reason.find("the device key is not the certificate's"), std::string::npos) << o.reason;
  device.certificate_pem = "junk";
  EXPECT_NE(ConnectDevice(device, Connect311()).reason.find("the device certificate is not a PEM certificate"),
            std::string::npos);
}

TEST(SummarizeCertificate, SerialAsLowercaseHexAndTheCommonName) {
  StatusOr<CertificateSummary> s = SummarizeCertificate(Pki("device-a-unregistered.pem"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->cn, "device-a-unregistered");
  EXPECT_EQ(s->sn.size(), 32u);
  EXPECT_EQ(s->sn.find_first_not_of("0123456789abcdef"), std::string::npos) << s->sn;
  EXPECT_FALSE(SummarizeCertificate("not a pem").ok());
}

}  // namespace
}  // namespace onsmqtt::runner
