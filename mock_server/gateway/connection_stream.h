#pragma once

// Internal to connections.cc: httplib's view of one connection (the
// buffered request first, then the socket). Includes httplib.h.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "mock_server/gateway/connections.h"

namespace onsmqtt::mock::connection_internal {

inline constexpr size_t kReadChunk = 16 * 1024;

// Waits until `fd` is ready for `events` (poll), at most `timeout`.
inline bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

inline void AddressOf(const sockaddr_storage& a, std::string& ip, int& port) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(a);
    inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
    port = ntohs(in.sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(a);
    inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
    port = ntohs(in6.sin6_port);
  }
  ip = buf;
}

// A Stream over a connection whose socket is non-blocking: reads come from
// *buf (what the hub buffered) and, once it is used up, from the socket,
// appended to *buf; reads and writes wait with poll up to the timeouts.
class ConnStream final : public httplib::Stream {
 public:
  ConnStream(std::string* buf, int fd, const ConnectionHub::Options& o) : buf_(buf), fd_(fd), o_(o) {}
  size_t consumed() const { return pos_; }

  bool is_readable() const override { return pos_ < buf_->size() || WaitFor(fd_, POLLIN, o_.read_timeout); }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, o_.write_timeout); }
  ssize_t read(char* ptr, size_t size) override {
    if (pos_ == buf_->size() && !Fill()) return -1;
    size_t n = std::min(size, buf_->size() - pos_);
    std::memcpy(ptr, buf_->data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::send(fd_, ptr + done, size - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && WaitFor(fd_, POLLOUT, o_.write_timeout)) {
        continue;
      } else {
        return -1;
      }
    }
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) AddressOf(a, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) AddressOf(a, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  // More of a request than was buffered (a chunked or an expected body).
  bool Fill() {
    char tmp[kReadChunk];
    for (;;) {
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n > 0) {
        buf_->append(tmp, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && WaitFor(fd_, POLLIN, o_.read_timeout)) continue;
      return false;
    }
  }

  std::string* buf_;
  const int fd_;
  const ConnectionHub::Options& o_;
  size_t pos_ = 0;
};

}  // namespace onsmqtt::mock::connection_internal
