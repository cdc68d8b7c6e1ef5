#include "tests/clients/tunnel_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace onsmqtt::clients {
namespace {

constexpr int kHandshakeTimeoutMs = 10000;

// Waits until `fd` is readable; false on timeout or when the wake pipe fired.
bool WaitReadable(int fd, int wake_fd, int timeout_ms) {
  pollfd p[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int n = 0;
  do {
    n = ::poll(p, 2, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && p[1].revents == 0 && p[0].revents != 0;
}

bool ReadExact(int fd, int wake_fd, void* out, size_t n) {
  auto* at = static_cast<char*>(out);
  while (n > 0) {
    if (!WaitReadable(fd, wake_fd, kHandshakeTimeoutMs)) return false;
    ssize_t got = ::recv(fd, at, n, 0);
    if (got <= 0) return false;
    at += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

bool WriteAll(int fd, const void* data, size_t n) {
  const auto* at = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t put = ::send(fd, at, n, MSG_NOSIGNAL);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    at += put;
    n -= static_cast<size_t>(put);
  }
  return true;
}

int ConnectLocal(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// SOCKS5 (RFC 1928), the version byte already read: no authentication,
// CONNECT only. Returns "host:port", or "" when the request is not one.
std::string SocksRequest(int fd, int wake_fd) {
  uint8_t n_methods = 0;
  uint8_t methods[255];
  if (!ReadExact(fd, wake_fd, &n_methods, 1) || !ReadExact(fd, wake_fd, methods, n_methods)) return "";
  const uint8_t no_auth[2] = {0x05, 0x00};
  if (!WriteAll(fd, no_auth, 2)) return "";
  uint8_t head[4];  // VER CMD RSV ATYP
  if (!ReadExact(fd, wake_fd, head, 4) || head[0] != 0x05 || head[1] != 0x01) return "";
  std::string host;
  if (head[3] == 0x03) {
    uint8_t len = 0;
    if (!ReadExact(fd, wake_fd, &len, 1)) return "";
    host.resize(len);
    if (!ReadExact(fd, wake_fd, host.data(), len)) return "";
  } else if (head[3] == 0x01) {
    uint8_t ip[4];
    if (!ReadExact(fd, wake_fd, ip, 4)) return "";
    char text[INET_ADDRSTRLEN];
    host = ::inet_ntop(AF_INET, ip, text, sizeof text);
  } else {
    return "";
  }
  uint8_t port[2];
  if (!ReadExact(fd, wake_fd, port, 2)) return "";
  return host + ":" + std::to_string(port[0] << 8 | port[1]);
}

// HTTP CONNECT, the first byte already read into `head`. Returns
// "host:port", or "" when the request is not one.
std::string HttpConnectRequest(int fd, int wake_fd, std::string head) {
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (head.size() > 8192) return "";
    char c = 0;
    if (!ReadExact(fd, wake_fd, &c, 1)) return "";
    head.push_back(c);
  }
  if (head.rfind("CONNECT ", 0) != 0) return "";
  size_t end = head.find(' ', 8);
  return end == std::string::npos ? "" : head.substr(8, end - 8);
}

// Copies bytes both ways until both directions ended (or the wake pipe fired).
void Relay(int a, int b, int wake_fd) {
  bool open[2] = {true, true};  // a->b, b->a
  char buf[16384];
  while (open[0] || open[1]) {
    pollfd p[3] = {{open[0] ? a : -1, POLLIN, 0}, {open[1] ? b : -1, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[2].revents != 0) return;
    for (int i = 0; i < 2; ++i) {
      if (p[i].revents == 0) continue;
      int from = i == 0 ? a : b;
      int to = i == 0 ? b : a;
      ssize_t got = ::recv(from, buf, sizeof buf, 0);
      if (got <= 0 || !WriteAll(to, buf, static_cast<size_t>(got))) {
        open[i] = false;
        ::shutdown(to, SHUT_WR);
      }
    }
  }
}

}  // namespace

std::unique_ptr<TunnelProxy> TunnelProxy::Start(int target_port, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    *error = std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<TunnelProxy>(new TunnelProxy(fd, ntohs(a.sin_port), target_port));
}

TunnelProxy::TunnelProxy(int listen_fd, int port, int target_port)
    : listen_fd_(listen_fd), port_(port), target_port_(target_port) {
  if (::pipe2(wake_, O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TunnelProxy::~TunnelProxy() {
  Stop();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::vector<std::string> TunnelProxy::requested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requested_;
}

void TunnelProxy::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  const char byte = 1;
  (void)!::write(wake_[1], &byte, 1);  // never read: every poll() sees it from now on
  acceptor_.join();
  std::vector<std::thread> tunnels;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tunnels.swap(tunnels_);
  }
  for (std::thread& t : tunnels) t.join();
}

void TunnelProxy::AcceptLoop() {
  while (WaitReadable(listen_fd_, wake_[0], -1)) {
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    tunnels_.emplace_back([this, client] { Serve(client); });
  }
}

void TunnelProxy::Serve(int client) {
  char first = 0;
  std::string target;
  const bool socks = ReadExact(client, wake_[0], &first, 1) && first == 0x05;
  if (socks) {
    target = SocksRequest(client, wake_[0]);
  } else if (first != 0) {
    target = HttpConnectRequest(client, wake_[0], std::string(1, first));
  }
  int upstream = target.empty() ? -1 : ConnectLocal(target_port_);
  if (!target.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    requested_.push_back(target);
  }
  static const uint8_t kSocksOk[10] = {0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  static const uint8_t kSocksFailed[10] = {0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  static const char kHttpOk[] = "HTTP/1.1 200 Connection established\r\n\r\n";
  static const char kHttpFailed[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
  bool ok = upstream >= 0;
  if (socks) {
    ok = WriteAll(client, ok ? kSocksOk : kSocksFailed, sizeof kSocksOk) && ok;
  } else if (first != 0) {
    ok = (ok ? WriteAll(client, kHttpOk, sizeof kHttpOk - 1) : WriteAll(client, kHttpFailed, sizeof kHttpFailed - 1)) &&
         ok;
  }
  if (ok) Relay(client, upstream, wake_[0]);
  if (upstream >= 0) ::close(upstream);
  ::close(client);
}

}  // namespace onsmqtt::clients
