#include "mock_server/mqtt/listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mock_server/mqtt/session.h"
#include "mock_server/mqtt/tls_context.h"

namespace onsmqtt::mock {

namespace {

using Steady = std::chrono::steady_clock;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kMaxPendingOutput = 1 << 20;
constexpr int kAcceptBatch = 64;
constexpr char kServerNameSuffix[] = ".mqtt.aliyuncs.com";

const char* RefusalName(MqttRefusal r) {
  switch (r) {
    case MqttRefusal::kConnack:
      return "connack";
    case MqttRefusal::kClose:
      return "close";
    case MqttRefusal::kTlsAlert:
      return "tls-alert";
  }
  return "connack";
}

std::string PeerOf(const sockaddr_storage& addr) {
  char host[NI_MAXHOST] = "?";
  char port[NI_MAXSERV] = "?";
  getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof addr, host, sizeof host, port, sizeof port,
              NI_NUMERICHOST | NI_NUMERICSERV);
  return std::string(host) + ":" + port;
}

int ConnIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

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

int VerifyCallback(int preverify_ok, X509_STORE_CTX* store);

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

int VerifyCallback(int /*preverify_ok*/, X509_STORE_CTX* store) {
  // Every certificate is accepted here (the context trusts nothing); the
  // broker's own decision is made on the leaf, at depth 0.
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  Conn* c = ssl != nullptr ? static_cast<Conn*>(SSL_get_ex_data(ssl, ConnIndex())) : nullptr;
  if (c == nullptr || X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  if (c->owner->CheckAtHandshake(c, X509_STORE_CTX_get_current_cert(store))) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

// --- ListenerImpl ------------------------------------------------------------

Status ListenerImpl::Bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    return Status::Unavailable("cannot resolve MQTT listen address " + host);
  }
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int yes = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  bool ok = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0;
  int err = errno;
  freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return Status::Unavailable("cannot listen for MQTT on " + host + ":" + service + ": " + std::strerror(err));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  listen_fd_ = fd;
  return Status::Ok();
}

void ListenerImpl::Run() {
  unsigned cores = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  for (unsigned i = 0; i < cores; ++i) loops_.push_back(std::make_unique<Loop>(this, listen_fd_));
  for (auto& loop : loops_) loop->Start();
}

void ListenerImpl::Stop() {
  if (stopped_.exchange(true)) return;
  for (auto& loop : loops_) loop->StopAndJoin();
  loops_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void ListenerImpl::Identify(Conn* c, X509* leaf) {
  const char* sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
  c->record.server_name = sni != nullptr ? sni : "";
  std::string named = InstanceFromServerName(c->record.server_name);
  c->record.instance_id = named.empty() ? parts_.default_instance : named;
  if (leaf != nullptr && c->leaf_pem.empty()) c->leaf_pem = ToPem(leaf);
}

void ListenerImpl::OnHandshake(Conn* c) { Identify(c, SSL_get0_peer_certificate(c->ssl)); }

bool ListenerImpl::CheckAtHandshake(Conn* c, X509* leaf) {
  if (parts_.options->mqtt_refusal != MqttRefusal::kTlsAlert) return true;
  if (c->checked_at_handshake) return !c->decided;
  c->checked_at_handshake = true;
  Identify(c, leaf);
  ConnectDecision d = parts_.state->DecideConnect(c->record.instance_id, c->leaf_pem, false);
  if (d.accepted) return true;
  c->record.device_sn = d.device_sn;
  c->record.ca_sn = d.ca_sn;
  c->record.device_name = d.device_name;
  c->record.outcome = "refused";
  c->record.reason = d.reason;
  c->record.refusal = "tls-alert";
  Emit(c);
  return false;
}

Session::Verdict ListenerImpl::Decide(Conn* c, const mqtt::Connect& connect) {
  ConnectRecord& r = c->record;
  r.client_id = connect.client_id;
  r.protocol = mqtt::VersionName(connect.version);
  const bool v5 = connect.version == mqtt::Version::k5;
  if (connect.client_id.empty() || connect.client_id.size() > mqtt::kMaxClientId) {
    r.outcome = "rejected";
    r.reason = "the client identifier must have 1 to 64 characters (<GroupID>@@@<DeviceID>), got " +
               std::to_string(connect.client_id.size());
    r.connack = v5 ? mqtt::kReasonClientIdNotValid : mqtt::kConnackIdentifierRejected;
    Emit(c);
    return {false, static_cast<uint8_t>(r.connack)};
  }
  ConnectDecision d = parts_.state->DecideConnect(r.instance_id, c->leaf_pem, true);
  r.device_sn = d.device_sn;
  r.ca_sn = d.ca_sn;
  r.device_name = d.device_name;
  r.reason = d.reason;
  r.registered = d.registered;
  Session::Verdict verdict;
  if (d.accepted) {
    r.outcome = "accepted";
    r.connack = mqtt::kConnackAccepted;
    verdict.accepted = true;
  } else {
    r.outcome = "refused";
    r.refusal = RefusalName(parts_.options->mqtt_refusal);
    if (parts_.options->mqtt_refusal == MqttRefusal::kConnack) {
      r.connack = mqtt::NotAuthorizedCode(connect.version);
      verdict.connack = static_cast<uint8_t>(r.connack);
    } else {
      r.refusal = "close";  // a TLS alert is no longer possible after the handshake
    }
  }
  Emit(c);
  return verdict;
}

void ListenerImpl::Emit(Conn* c) {
  c->decided = true;
  c->record.time = parts_.clock->Now();
  if (parts_.observer) parts_.observer(c->record);
}

// --- Loop ----------------------------------------------------------------------

Loop::Loop(ListenerImpl* owner, int listen_fd) : owner_(owner), listen_fd_(listen_fd) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.ptr = &listen_tag_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

Loop::~Loop() {
  StopAndJoin();
  while (!conns_.empty()) Close(conns_.begin()->first, "the mock stopped");
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void Loop::StopAndJoin() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
}

void Loop::Run() {
  epoll_event events[64];
  Steady::time_point next_sweep = Steady::now() + kSweepInterval;
  while (!stopping_) {
    int n = epoll_wait(epoll_fd_, events, 64, static_cast<int>(kSweepInterval.count()));
    for (int i = 0; i < n && !stopping_; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_tag_) continue;
      if (tag == &listen_tag_) {
        Accept();
        continue;
      }
      Conn* c = static_cast<Conn*>(tag);
      if (events[i].events & (EPOLLERR | EPOLLHUP) && !(events[i].events & EPOLLIN)) {
        Close(c, "the connection was reset");
      } else {
        Drive(c);
      }
    }
    if (Steady::now() >= next_sweep) {
      Sweep();
      next_sweep = Steady::now() + kSweepInterval;
    }
  }
}

void Loop::Accept() {
  for (int i = 0; i < kAcceptBatch; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: another loop took it, or nothing left
    if (!owner_->Admit()) {
      ::close(fd);  // beyond mqtt_max_connections
      continue;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    c->owner = owner_;
    c->ssl = SSL_new(owner_->ctx());
    c->record.peer = PeerOf(addr);
    c->deadline = Steady::now() + kHandshakeTimeout;
    Conn* raw = c.get();
    c->session =
        std::make_unique<Session>([this, raw](const mqtt::Connect& connect) { return owner_->Decide(raw, connect); });
    if (c->ssl == nullptr || SSL_set_fd(c->ssl, fd) != 1) {
      owner_->Release();
      continue;
    }
    SSL_set_ex_data(c->ssl, ConnIndex(), raw);
    SSL_set_accept_state(c->ssl);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = raw;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    conns_.emplace(raw, std::move(c));
  }
}

void Loop::Drive(Conn* c) {
  if (!c->handshaken && !Handshake(c)) return;
  if (!c->closing && !ReadAndAnswer(c)) return;
  if (!Flush(c)) {
    Close(c, "writing to the client failed");
    return;
  }
  if (c->closing && c->out.empty()) {
    SSL_shutdown(c->ssl);
    Close(c, c->close_why);
    return;
  }
  Rearm(c, !c->out.empty());
}

// False when the handshake is not done yet (or failed: then `c` is gone).
bool Loop::Handshake(Conn* c) {
  int r = SSL_do_handshake(c->ssl);
  if (r == 1) {
    c->handshaken = true;
    c->deadline = Steady::now() + kConnectTimeout;
    c->last_read = Steady::now();
    owner_->OnHandshake(c);
    return true;
  }
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    Rearm(c, e == SSL_ERROR_WANT_WRITE);
    return false;
  }
  Close(c, "TLS handshake failed: " + TakeSslErrors("the client closed the connection"));
  return false;
}

// False when `c` was closed.
bool Loop::ReadAndAnswer(Conn* c) {
  char buf[kReadChunk];
  for (;;) {
    int n = SSL_read(c->ssl, buf, sizeof buf);
    if (n > 0) {
      c->last_read = Steady::now();
      Session::Output o = c->session->Feed(std::string_view(buf, static_cast<size_t>(n)));
      c->out += o.bytes;
      if (o.close) {
        c->closing = true;
        c->close_why = o.why;
        return true;
      }
      if (c->out.size() > kMaxPendingOutput) {
        Close(c, "the client does not read its answers");
        return false;
      }
      continue;
    }
    int e = SSL_get_error(c->ssl, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return true;
    Close(c, e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL ? "closed by the client"
                                                                  : "TLS error: " + TakeSslErrors("read failed"));
    return false;
  }
}

bool Loop::Flush(Conn* c) {
  while (!c->out.empty()) {
    int n = SSL_write(c->ssl, c->out.data(), static_cast<int>(std::min<size_t>(c->out.size(), 1 << 30)));
    if (n > 0) {
      c->out.erase(0, static_cast<size_t>(n));
      continue;
    }
    int e = SSL_get_error(c->ssl, n);
    return e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ;
  }
  return true;
}

void Loop::Rearm(Conn* c, bool want_write) {
  epoll_event ev{};
  ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
  ev.data.ptr = c;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &ev);
}

void Loop::Sweep() {
  const Steady::time_point now = Steady::now();
  std::vector<std::pair<Conn*, const char*>> expired;
  for (const auto& [raw, c] : conns_) {
    if (!c->handshaken) {
      if (now > c->deadline) expired.emplace_back(raw, "the TLS handshake took longer than 10 s");
    } else if (!c->session->saw_connect()) {
      if (now > c->deadline) expired.emplace_back(raw, "no CONNECT within 10 s of the handshake");
    } else if (uint16_t ka = c->session->keep_alive(); ka > 0) {
      if (now - c->last_read > std::chrono::milliseconds(1500) * ka) {
        expired.emplace_back(raw, "silent for 1.5 x its keep-alive");
      }
    }
  }
  for (const auto& [raw, why] : expired) Close(raw, why);
}

void Loop::Close(Conn* c, const std::string& why) {
  if (!c->decided) {
    c->record.outcome = "no-connect";
    c->record.reason = why;
    owner_->Emit(c);
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
  owner_->Release();
  conns_.erase(c);
}

}  // namespace

std::string InstanceFromServerName(const std::string& server_name) {
  const size_t suffix = sizeof kServerNameSuffix - 1;
  if (server_name.size() <= suffix) return std::string();
  std::string lower = server_name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (lower.compare(lower.size() - suffix, suffix, kServerNameSuffix) != 0) return std::string();
  std::string id = server_name.substr(0, server_name.size() - suffix);
  return id.find('.') == std::string::npos ? id : std::string();
}

StatusOr<std::unique_ptr<MqttListener>> MqttListener::Start(ListenerParts parts, const std::string& host, int port) {
  StatusOr<SslCtxPtr> ctx =
      CreateServerContext(parts.certificate_pem, parts.key_pem, parts.options->mqtt_tls_version, VerifyCallback);
  if (!ctx.ok()) return ctx.status();
  auto listener = std::make_unique<ListenerImpl>(std::move(parts), std::move(*ctx));
  if (Status s = listener->Bind(host, port); !s.ok()) return s;
  listener->Run();
  return std::unique_ptr<MqttListener>(std::move(listener));
}

}  // namespace onsmqtt::mock
