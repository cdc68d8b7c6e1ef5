// The process's sockets, seen from /proc/self/fd (sockets.h).
#include "mock_server/gateway/sockets.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace onsmqtt::mock {
namespace {

int PortOf(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

std::string AddressOf(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  if (a.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf, sizeof buf);
  return buf;
}

// Calls fn(fd, local, peer) for each connected socket of the process until
// fn returns true. Other threads may close (and reuse) descriptors
// meanwhile, so each one is first duplicated: the duplicate pins the socket
// it names at that moment, its addresses are read from the duplicate and fn
// acts on the duplicate, so fn never touches a socket it did not inspect.
// (ThreadSanitizer still reports the fd reads: cmake/tsan.supp.)
template <class Fn>
void ForEachConnectedSocket(Fn fn) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    int pinned = fcntl(static_cast<int>(fd), F_DUPFD_CLOEXEC, 0);
    if (pinned < 0) continue;
    struct stat st {};
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    bool done = fstat(pinned, &st) == 0 && S_ISSOCK(st.st_mode) &&
                getsockname(pinned, reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
                getpeername(pinned, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 && fn(pinned, local, peer);
    close(pinned);
    if (done) break;
  }
  closedir(dir);
}

}  // namespace

// Writes to a connection the peer already closed must not kill the
// process: ignore SIGPIPE unless the embedding program chose a handler.
void IgnoreSigpipeIfDefault() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    std::signal(SIGPIPE, SIG_IGN);
  }
}

// The drop_connection fault. httplib 0.11 gives a handler no access to its
// socket and always writes the status line before any content provider
// runs, so the connection is found by its addresses among the process's
// sockets and shut down: the client reads EOF and no HTTP answer (httplib's
// own write then fails with EPIPE and it closes the socket as usual).
void ShutdownConnection(int local_port, const std::string& remote_addr, int remote_port) {
  ForEachConnectedSocket([&](int fd, const sockaddr_storage& local, const sockaddr_storage& peer) {
    if (PortOf(local) != local_port || PortOf(peer) != remote_port || AddressOf(peer) != remote_addr) return false;
    ::shutdown(fd, SHUT_RDWR);
    return true;
  });
}

// Stop() of the HTTPS server: httplib's workers wait for the next request on an idle keep-alive
// connection for up to the keep-alive timeout without looking at the
// server's state. Shutting the read side of the server's accepted
// connections (local address = the listening address) ends those waits at
// once; a request being handled still writes its answer.
void ShutdownReadsOfServedConnections(const std::string& host, int port) {
  ForEachConnectedSocket([&](int fd, const sockaddr_storage& local, const sockaddr_storage&) {
    if (PortOf(local) == port && (host == "0.0.0.0" || host == "::" || AddressOf(local) == host)) {
      ::shutdown(fd, SHUT_RD);
    }
    return false;
  });
}

}  // namespace onsmqtt::mock
