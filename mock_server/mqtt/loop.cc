#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "mock_server/mqtt/listener_internal.h"

namespace onsmqtt::mock::internal {

namespace {

std::string PeerOf(const sockaddr_storage& addr) {
  char host[NI_MAXHOST] = "?";
  char port[NI_MAXSERV] = "?";
  getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof addr, host, sizeof host, port, sizeof port,
              NI_NUMERICHOST | NI_NUMERICSERV);
  return std::string(host) + ":" + port;
}

}  // namespace

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

}  // namespace onsmqtt::mock::internal
