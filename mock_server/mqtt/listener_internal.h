#pragma once

// Internal to mock_server/mqtt: the listener's event loops and connections
// (listener.cc: ListenerImpl; loop.cc: Loop). Includes OpenSSL.
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mock_server/mqtt/listener.h"
#include "mock_server/mqtt/session.h"
#include "mock_server/mqtt/tls_context.h"

namespace onsmqtt::mock::internal {

using Steady = std::chrono::steady_clock;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxPendingOutput = 1 << 20;
constexpr int kAcceptBatch = 64;

// The SSL ex-data slot that points back to a connection.
int ConnIndex();

class ListenerImpl;

struct Conn {
  ~Conn() {
    if (ssl != nullptr) SSL_free(ssl);
    if (fd >= 0) ::close(fd);
  }
  int fd = -1;
  SSL* ssl = nullptr;
  ListenerImpl* owner = nullptr;
  bool handshaken = false;
  bool checked_at_handshake = false;
  bool closing = false;  // close once `out` is written
  bool decided = false;  // its ConnectRecord was emitted
  std::string close_why;
  std::string out;
  Steady::time_point deadline;  // of the handshake, then of the CONNECT
  Steady::time_point last_read;
  std::unique_ptr<Session> session;
  ConnectRecord record;
  std::string leaf_pem;
};

class Loop {
 public:
  Loop(ListenerImpl* owner, int listen_fd);
  ~Loop();
  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void StopAndJoin();

 private:
  void Run();
  void Accept();
  void Drive(Conn* c);
  bool Handshake(Conn* c);
  bool ReadAndAnswer(Conn* c);
  bool Flush(Conn* c);
  void Rearm(Conn* c, bool want_write);
  void Sweep();
  void Close(Conn* c, const std::string& why);

  ListenerImpl* owner_;
  const int listen_fd_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::unordered_map<Conn*, std::unique_ptr<Conn>> conns_;
  std::thread thread_;
  char listen_tag_ = 0;
  char wake_tag_ = 0;
};

class ListenerImpl final : public MqttListener {
 public:
  ListenerImpl(ListenerParts parts, SslCtxPtr ctx) : parts_(std::move(parts)), ctx_(std::move(ctx)) {}
  ~ListenerImpl() override { Stop(); }

  Status Bind(const std::string& host, int port);
  void Run();
  int port() const override { return port_; }
  size_t connections() const override { return open_.load(); }
  void Stop() override;

  SSL_CTX* ctx() const { return ctx_.get(); }
  // Counts a new connection; false when the cap is reached.
  bool Admit() {
    size_t cap = parts_.options->mqtt_max_connections > 0 ? parts_.options->mqtt_max_connections : 1;
    if (open_.fetch_add(1) < cap) return true;
    open_.fetch_sub(1);
    return false;
  }
  void Release() { open_.fetch_sub(1); }

  void OnHandshake(Conn* c);
  bool CheckAtHandshake(Conn* c, X509* leaf);
  Session::Verdict Decide(Conn* c, const mqtt::Connect& connect);
  void Emit(Conn* c);

 private:
  void Identify(Conn* c, X509* leaf);

  const ListenerParts parts_;
  SslCtxPtr ctx_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<size_t> open_{0};
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<bool> stopped_{false};
};

}  // namespace onsmqtt::mock::internal
