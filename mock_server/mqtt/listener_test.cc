#include "mock_server/mqtt/listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <mutex>

#include "mock_server/model/model_test_util.h"
#include "mock_server/mqtt/mqtt_test_util.h"
#include "mock_server/mqtt/tls_test_client.h"

namespace onsmqtt::mock {
namespace {

using testing::Connack311;
using testing::Connack5;
using testing::Connect;
using testing::DeviceTls;
using testing::kSourceDir;
using testing::MockHarness;
using testing::TlsDevice;

std::string Pki(const std::string& file) { return kSourceDir + "/fixtures/pki/" + file; }

DeviceTls Device(const std::string& name, const std::string& server_name = "localhost") {
  return DeviceTls{Pki(name + ".pem"), Pki(name + ".key"), server_name};
}

ParamList DeviceParams(const std::string& sn) {
  return {{"MqttInstanceId", "${instance.platinum.id}"}, {"DeviceSn", sn}, {"CaSn", "${ca.a.sn}"}};
}

class ListenerTest : public ::testing::Test {
 protected:
  void StartListener(MockOptions options = MockOptions()) {
    std::signal(SIGPIPE, SIG_IGN);
    options_ = options;
    harness_ = std::make_unique<MockHarness>(options_);
    ListenerParts parts;
    parts.options = &options_;
    parts.state = &harness_->state();
    parts.clock = &harness_->clock();
    parts.certificate_pem = yaml::ReadFile(Pki("server.pem")).value();
    parts.key_pem = yaml::ReadFile(Pki("server.key")).value();
    parts.default_instance = harness_->var("instance.platinum.id");
    parts.observer = [this](const ConnectRecord& r) {
      std::lock_guard<std::mutex> lock(mu_);
      records_.push_back(r);
    };
    StatusOr<std::unique_ptr<MqttListener>> listener = MqttListener::Start(std::move(parts), "127.0.0.1", 0);
    ASSERT_TRUE(listener.ok()) << listener.status().ToString();
    listener_ = std::move(*listener);
  }
  void TearDown() override {
    if (listener_) listener_->Stop();
  }

  // Handshake, CONNECT at `level`, and the first `n` answer bytes.
  std::string ConnectAs(const DeviceTls& tls, int level = 4, size_t n = 4, bool* closed = nullptr,
                        const std::string& client_id = "GID_test@@@dev1") {
    TlsDevice device;
    std::string error;
    EXPECT_TRUE(device.Connect(listener_->port(), tls, &error)) << error;
    EXPECT_TRUE(device.Write(Connect(level, client_id)));
    std::string got = device.Read(n);
    bool eof = false;
    if (closed != nullptr) {
      device.Read(1, &eof);
      *closed = eof;
    }
    return got;
  }

  // The last record, once one for `n` connections arrived (records are
  // emitted on the listener's threads).
  ConnectRecord Record(size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (records_.size() >= n) return records_[n - 1];
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no record " << n;
    return ConnectRecord();
  }

  MockOptions options_;
  std::unique_ptr<MockHarness> harness_;
  std::unique_ptr<MqttListener> listener_;
  std::mutex mu_;
  std::vector<ConnectRecord> records_;
};

TEST_F(ListenerTest, AcceptsAnActiveDevice) {
  StartListener();
  EXPECT_EQ(ConnectAs(Device("device-a-active")), Connack311(0));
  ConnectRecord r = Record(1);
  EXPECT_EQ(r.outcome, "accepted");
  EXPECT_EQ(r.device_sn, harness_->var("device.active.sn"));
  EXPECT_EQ(r.instance_id, harness_->var("instance.platinum.id"));
  EXPECT_EQ(r.server_name, "localhost");
  EXPECT_EQ(r.client_id, "GID_test@@@dev1");
  EXPECT_EQ(r.protocol, "3.1.1");
  EXPECT_EQ(r.connack, 0);
  EXPECT_FALSE(r.registered);
}

TEST_F(ListenerTest, AnInactiveDeviceIsRefusedUntilActivated) {
  StartListener();
  bool closed = false;
  EXPECT_EQ(ConnectAs(Device("device-a-inactive"), 4, 4, &closed), Connack311(5));
  EXPECT_TRUE(closed);
  EXPECT_EQ(ConnectAs(Device("device-a-inactive"), 5, 5), Connack5(0x87));
  EXPECT_EQ(ConnectAs(Device("device-a-inactive"), 3, 4), Connack311(5));
  ConnectRecord r = Record(1);
  EXPECT_EQ(r.outcome, "refused");
  EXPECT_EQ(r.refusal, "connack");
  EXPECT_NE(r.reason.find("ActiveDeviceCertificate"), std::string::npos) << r.reason;
  ASSERT_EQ(harness_->Call("ActiveDeviceCertificate", "owner", DeviceParams("${device.inactive.sn}")).status, 200);
  EXPECT_EQ(ConnectAs(Device("device-a-inactive")), Connack311(0));
}

TEST_F(ListenerTest, ANewCertificateOfARegisteredCaIsRegisteredActive) {
  StartListener();
  EXPECT_EQ(ConnectAs(Device("device-a-unregistered")), Connack311(0));
  ConnectRecord r = Record(1);
  EXPECT_TRUE(r.registered);
  EXPECT_EQ(r.device_name, "device-a-unregistered");
  ServiceResult get =
      harness_->Call("GetDeviceCertificate", "owner", DeviceParams(testing::PkiSn("device-a-unregistered")));
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(get.body.at("Data").at("Status"), "1");
  EXPECT_EQ(ConnectAs(Device("device-a-unregistered")), Connack311(0));
  EXPECT_FALSE(Record(2).registered);
}

TEST_F(ListenerTest, RefusedCertificatesRegisterNothing) {
  StartListener();
  for (const char* name : {"device-unknown-ca", "device-b-unregistered", "device-a-expired"}) {
    EXPECT_EQ(ConnectAs(Device(name)), Connack311(5)) << name;
  }
  EXPECT_NE(Record(1).reason.find("not issued by any CA"), std::string::npos) << Record(1).reason;
  EXPECT_NE(Record(2).reason.find("inactive"), std::string::npos) << Record(2).reason;
  EXPECT_NE(Record(3).reason.find("expired"), std::string::npos) << Record(3).reason;
  ServiceResult get = harness_->Call("GetDeviceCertificate", "owner",
                                     {{"MqttInstanceId", "${instance.platinum.id}"},
                                      {"DeviceSn", testing::PkiSn("device-b-unregistered")},
                                      {"CaSn", "${ca.b.sn}"}});
  EXPECT_EQ(get.error->code, "FindDeviceBySnError");
}

TEST_F(ListenerTest, TheServerNameSelectsTheInstance) {
  StartListener();
  const std::string other = harness_->var("instance.other_account.id") + ".mqtt.aliyuncs.com";
  EXPECT_EQ(ConnectAs(Device("device-other", other)), Connack311(0));
  EXPECT_EQ(Record(1).instance_id, harness_->var("instance.other_account.id"));
  EXPECT_EQ(ConnectAs(Device("device-a-active", other)), Connack311(5));
  EXPECT_EQ(ConnectAs(Device("device-a-active", "post-cn-none.mqtt.aliyuncs.com")), Connack311(5));
  EXPECT_NE(Record(3).reason.find("unknown instance"), std::string::npos) << Record(3).reason;
}

TEST_F(ListenerTest, AHandshakeWithoutConnectRegistersNothing) {
  StartListener();
  {
    TlsDevice device;
    std::string error;
    ASSERT_TRUE(device.Connect(listener_->port(), Device("device-a-unregistered"), &error)) << error;
  }
  ConnectRecord r = Record(1);
  EXPECT_EQ(r.outcome, "no-connect");
  ServiceResult get =
      harness_->Call("GetDeviceCertificate", "owner", DeviceParams(testing::PkiSn("device-a-unregistered")));
  EXPECT_EQ(get.error->code, "FindDeviceBySnError");
}

TEST_F(ListenerTest, ALeafSentWithItsChainIsAccepted) {
  StartListener();
  std::string chain = ::testing::TempDir() + "/device-with-chain.pem";
  std::ofstream(chain) << yaml::ReadFile(Pki("device-a-unregistered.pem")).value()
                       << yaml::ReadFile(Pki("ca-a.pem")).value();
  EXPECT_EQ(ConnectAs(DeviceTls{chain, Pki("device-a-unregistered.key"), "localhost"}), Connack311(0));
  EXPECT_TRUE(Record(1).registered);
}

TEST_F(ListenerTest, TlsAlertRefusesDuringTheHandshake) {
  MockOptions options;
  options.mqtt_refusal = MqttRefusal::kTlsAlert;
  StartListener(options);
  TlsDevice device;
  std::string error;
  EXPECT_FALSE(device.Connect(listener_->port(), Device("device-a-inactive"), &error));
  EXPECT_NE(error.find("alert"), std::string::npos) << error;
  EXPECT_EQ(Record(1).refusal, "tls-alert");
  EXPECT_EQ(ConnectAs(Device("device-a-active")), Connack311(0));
}

TEST_F(ListenerTest, CloseRefusesWithoutAConnack) {
  MockOptions options;
  options.mqtt_refusal = MqttRefusal::kClose;
  StartListener(options);
  bool closed = false;
  EXPECT_EQ(ConnectAs(Device("device-a-inactive"), 4, 4, &closed), "");
  EXPECT_EQ(Record(1).refusal, "close");
}

TEST_F(ListenerTest, AClientWithoutCertificateFailsTheHandshake) {
  StartListener();
  TlsDevice device;
  std::string error;
  EXPECT_FALSE(device.Connect(listener_->port(), DeviceTls{"", "", "localhost"}, &error));
  EXPECT_EQ(Record(1).outcome, "no-connect");
  EXPECT_NE(Record(1).reason.find("TLS handshake failed"), std::string::npos) << Record(1).reason;
}

TEST_F(ListenerTest, ClientIdentifiersOver64CharactersAreRejected) {
  StartListener();
  EXPECT_EQ(ConnectAs(Device("device-a-active"), 4, 4, nullptr, std::string(65, 'x')), Connack311(2));
  EXPECT_EQ(ConnectAs(Device("device-a-active"), 5, 5, nullptr, ""), Connack5(0x85));
  EXPECT_EQ(Record(1).outcome, "rejected");
}

TEST_F(ListenerTest, ASilentClientIsDroppedAfterOneAndAHalfKeepAlives) {
  StartListener();
  TlsDevice device;
  std::string error;
  ASSERT_TRUE(device.Connect(listener_->port(), Device("device-a-active"), &error)) << error;
  ASSERT_TRUE(device.Write(Connect(4, "GID_test@@@dev1", /*keep_alive=*/1)));
  EXPECT_EQ(device.Read(4), Connack311(0));
  bool closed = false;
  bool timed_out = false;
  device.Read(1, &closed, &timed_out);  // 1.5 s later the server closes; the read waits up to 5 s
  EXPECT_TRUE(closed);
  EXPECT_FALSE(timed_out);
}

TEST_F(ListenerTest, ConnectionsBeyondTheCapAreClosed) {
  MockOptions options;
  options.mqtt_max_connections = 2;
  StartListener(options);
  TlsDevice a, b, c;
  std::string error;
  ASSERT_TRUE(a.Connect(listener_->port(), Device("device-a-active"), &error)) << error;
  ASSERT_TRUE(b.Connect(listener_->port(), Device("device-a-active"), &error)) << error;
  EXPECT_FALSE(c.Connect(listener_->port(), Device("device-a-active"), &error));
  EXPECT_EQ(listener_->connections(), 2u);
}

// A raw TCP connection to the listener (no TLS), closed by the destructor.
class RawTcp {
 public:
  explicit RawTcp(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawTcp() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
  }
  // True when the server closed (EOF or reset) within 5 s.
  bool ClosedByServer() {
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) continue;  // e.g. a TLS alert
      return n == 0 || errno == ECONNRESET;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST_F(ListenerTest, PlainTextIsNotAHandshake) {
  StartListener();
  RawTcp raw(listener_->port());
  ASSERT_TRUE(raw.connected());
  raw.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(raw.ClosedByServer());
  EXPECT_EQ(Record(1).outcome, "no-connect");
  EXPECT_NE(Record(1).reason.find("TLS handshake failed"), std::string::npos) << Record(1).reason;
}

TEST_F(ListenerTest, IdleConnectionsDoNotDelayADevice) {
  StartListener();
  std::vector<std::unique_ptr<RawTcp>> idle;
  for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<RawTcp>(listener_->port()));
  for (const auto& c : idle) ASSERT_TRUE(c->connected());
  EXPECT_EQ(ConnectAs(Device("device-a-active")), Connack311(0));  // served at once, not after a timeout
  EXPECT_EQ(Record(1).outcome, "accepted");
}

TEST_F(ListenerTest, APacketOverTheLimitClosesTheConnection) {
  StartListener();
  TlsDevice device;
  std::string error;
  ASSERT_TRUE(device.Connect(listener_->port(), Device("device-a-active"), &error)) << error;
  ASSERT_TRUE(device.Write(Connect(4, "GID_test@@@dev1")));
  EXPECT_EQ(device.Read(4), Connack311(0));
  // PUBLISH announcing 100,000 bytes (the limit is 64 KiB): closed on the header alone.
  ASSERT_TRUE(device.Write(std::string("\x30\xa0\x8d\x06", 4)));
  bool closed = false;
  device.Read(1, &closed);
  EXPECT_TRUE(closed);
}

TEST(ListenerStartTest, ABadServerIdentitySaysWhat) {
  MockHarness harness;
  MockOptions options;
  ListenerParts parts;
  parts.options = &options;
  parts.state = &harness.state();
  parts.clock = &harness.clock();
  parts.certificate_pem = yaml::ReadFile(Pki("server.pem")).value();
  parts.key_pem = yaml::ReadFile(Pki("ca-a.key")).value();
  StatusOr<std::unique_ptr<MqttListener>> mismatch = MqttListener::Start(parts, "127.0.0.1", 0);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("the MQTT server key does not match its certificate ("), std::string::npos)
      << mismatch.status().message();
  parts.certificate_pem = "not a certificate";
  StatusOr<std::unique_ptr<MqttListener>> garbage = MqttListener::Start(parts, "127.0.0.1", 0);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().message(), "the MQTT server certificate is not a PEM certificate");
}

TEST(ServerNameTest, NamesAnInstanceOrNone) {
  EXPECT_EQ(InstanceFromServerName("post-cn-abc.mqtt.aliyuncs.com"), "post-cn-abc");
  EXPECT_EQ(InstanceFromServerName("post-cn-abc.MQTT.aliyuncs.com"), "post-cn-abc");
  EXPECT_EQ(InstanceFromServerName("localhost"), "");
  EXPECT_EQ(InstanceFromServerName(".mqtt.aliyuncs.com"), "");
  EXPECT_EQ(InstanceFromServerName("a.b.mqtt.aliyuncs.com"), "");
}

}  // namespace
}  // namespace onsmqtt::mock
