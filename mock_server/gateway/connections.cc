// ConnectionHub: connections parked in epoll, requests served by on-demand
// workers once buffered (see connections.h).
#include "mock_server/gateway/connections.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>

#include "mock_server/gateway/connection_stream.h"

namespace onsmqtt::mock {

using connection_internal::ConnStream;
using connection_internal::kReadChunk;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kBusy = std::numeric_limits<int64_t>::max();
thread_local int t_current_socket = -1;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

bool HeaderNameIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

// A canned answer the hub writes itself (best effort: the socket may be
// full or gone), then no more writes.
void CannedAnswer(int fd, int status, const char* reason, const std::string& message) {
  char scratch[4096];
  (void)::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);  // what has arrived: closing on unread data resets
  std::string body = "{\"error\":\"" + message + "\"}";
  std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + reason +
      "\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
}

void AnswerAndClose(int fd, int status, const char* reason, const std::string& message) {
  CannedAnswer(fd, status, reason, message);
  ::close(fd);
}

}  // namespace

struct ConnectionHub::Conn {
  explicit Conn(int f) : fd(f) {}
  const int fd;
  std::string buf;                       // received, not yet served; owned by the worker holding the event
  size_t scanned = 0;                    // buf[0, scanned) holds no end of head
  std::atomic<int64_t> deadline{kBusy};  // steady ms; kBusy while a worker holds it
  // The sweeper shut it down. Guarded by the hub's mu_ (only Sweep touches
  // it), which an annotation here cannot name.
  bool expired = false;
};

ConnectionHub::ConnectionHub(Options options, Serve serve) : options_(options), serve_(std::move(serve)) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  itimerspec every_second{{1, 0}, {1, 0}};
  timerfd_settime(timer_fd_, 0, &every_second, nullptr);
  epoll_event timer{EPOLLIN | EPOLLONESHOT, {.ptr = &timer_fd_}};
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &timer);
  epoll_event stop{EPOLLIN, {.ptr = &stop_fd_}};  // level-triggered: wakes every worker
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &stop);
}

ConnectionHub::~ConnectionHub() {
  Shutdown();
  ::close(epoll_fd_);
  ::close(timer_fd_);
  ::close(stop_fd_);
}

int ConnectionHub::CurrentSocket() { return t_current_socket; }

size_t ConnectionHub::connections() const {
  MutexLock lock(&mu_);
  return conns_.size();
}

size_t ConnectionHub::workers() const {
  MutexLock lock(&mu_);
  return threads_.size();
}

void ConnectionHub::Adopt(int fd) {
  MutexLock lock(&mu_);
  if (shut_down_ || stopping_) {
    lock.Unlock();
    AnswerAndClose(fd, 503, "Service Unavailable", "the mock is stopping");
    return;
  }
  if (conns_.size() >= options_.max_connections) {
    lock.Unlock();
    AnswerAndClose(fd, 503, "Service Unavailable",
                   "the mock serves at most " + std::to_string(options_.max_connections) +
                       " connections at once (--max-connections); this one was closed");
    return;
  }
  auto* c = new Conn(fd);
  conns_.insert(c);
  if (threads_.empty()) SpawnWorkerLocked();
  lock.Unlock();
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  c->deadline.store(NowMs() + options_.keep_alive.count(), std::memory_order_release);
  epoll_event ev{EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, {.ptr = c}};
  // From here on a worker may own (and close) c.
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) Close(c);
}

void ConnectionHub::SpawnWorkerLocked() {
  for (auto& t : finished_) t.join();
  finished_.clear();
  if (threads_.size() >= options_.max_workers) return;
  try {
    threads_.emplace_back();
    auto self = std::prev(threads_.end());
    *self = std::thread([this, self] { Work(self); });
  } catch (const std::system_error&) {
    threads_.pop_back();  // out of threads: the running workers carry on
  }
}

void ConnectionHub::Work(std::list<std::thread>::iterator self) {
  int64_t last_work = NowMs();
  for (;;) {
    epoll_event ev{};
    ++waiting_;
    int n = epoll_wait(epoll_fd_, &ev, 1, 1000);
    --waiting_;
    if (stopping_) break;
    if (n == 1 && ev.data.ptr == &timer_fd_) {
      uint64_t ticks = 0;
      (void)::read(timer_fd_, &ticks, sizeof ticks);
      Sweep();
      epoll_event timer{EPOLLIN | EPOLLONESHOT, {.ptr = &timer_fd_}};
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, timer_fd_, &timer);
    } else if (n == 1 && ev.data.ptr != &stop_fd_) {
      HandleEvent(static_cast<Conn*>(ev.data.ptr));
      last_work = NowMs();
      continue;
    }
    if (NowMs() - last_work > options_.idle_exit.count()) {
      MutexLock lock(&mu_);
      if (threads_.size() > 1 && !stopping_) {
        finished_.splice(finished_.end(), threads_, self);  // joined by the next spawn or Shutdown
        return;
      }
    }
  }
}

void ConnectionHub::HandleEvent(Conn* c) {
  // Reads the store Adopt or Park made before arming the event: what the
  // previous holder wrote (buf, scanned) happens-before this worker's use
  // (epoll orders it too, but ThreadSanitizer does not see that).
  (void)c->deadline.exchange(kBusy, std::memory_order_acq_rel);
  // Out of the epoll set while held; Park adds it back. (Re-arming with
  // EPOLL_CTL_MOD would do for the kernel, but ThreadSanitizer orders only
  // EPOLL_CTL_ADD before the epoll_wait that reports it, and would take the
  // next holder's close for a race with this one's epoll_ctl.)
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
  bool eof = false;
  char tmp[kReadChunk];
  for (;;) {
    ssize_t n = ::recv(c->fd, tmp, sizeof tmp, 0);
    if (n > 0) {
      c->buf.append(tmp, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof tmp || c->buf.size() > kMaxHeadBytes + options_.payload_max) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    eof = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    break;
  }
  ServeBuffered(c, eof);
}

void ConnectionHub::ServeBuffered(Conn* c, bool eof) {
  for (;;) {
    Ready ready = Check(c);
    if (ready == Ready::kHeadTooLarge) {
      CannedAnswer(c->fd, 431, "Request Header Fields Too Large",
                   "request line and headers over " + std::to_string(kMaxHeadBytes) + " bytes");
      Close(c);
      return;
    }
    if (ready == Ready::kNeedMore) break;
    // Serving: keep one worker waiting for other connections.
    if (waiting_ == 0) {
      MutexLock lock(&mu_);
      if (!stopping_) SpawnWorkerLocked();
    }
    ConnStream stream(&c->buf, c->fd, options_);
    bool closed = false;
    t_current_socket = c->fd;
    bool ok = serve_(stream, eof || stopping_, closed);
    t_current_socket = -1;
    c->buf.erase(0, stream.consumed());
    c->scanned = 0;
    if (!ok || closed || stopping_) {
      Close(c);
      return;
    }
  }
  if (eof) {
    Close(c);
    return;
  }
  Park(c);
}

ConnectionHub::Ready ConnectionHub::Check(Conn* c) const {
  const std::string& b = c->buf;
  size_t from = c->scanned >= 3 ? c->scanned - 3 : 0;
  size_t end = b.find("\r\n\r\n", from);
  if (end == std::string::npos) {
    c->scanned = b.size();
    return b.size() <= kMaxHeadBytes ? Ready::kNeedMore : Ready::kHeadTooLarge;
  }
  // A complete head: wait for a Content-Length body that fits the payload
  // limit; anything else (chunked, 100-continue, too large, malformed) is
  // httplib's to read or refuse.
  size_t head = end + 4;
  std::string_view h(b.data(), head);
  size_t body = 0;
  bool wait_for_body = true;
  for (size_t pos = h.find("\r\n") + 2; pos < head - 2;) {
    size_t eol = h.find("\r\n", pos);
    std::string_view line = h.substr(pos, eol - pos);
    pos = eol + 2;
    if (HeaderNameIs(line, "transfer-encoding") || HeaderNameIs(line, "expect")) wait_for_body = false;
    if (HeaderNameIs(line, "content-length")) {
      std::string_view v = line.substr(15);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      size_t n = 0, digits = 0;
      while (digits < v.size() && digits < 10 && std::isdigit(static_cast<unsigned char>(v[digits]))) {
        n = n * 10 + static_cast<size_t>(v[digits++] - '0');
      }
      if (digits == 0 || n > options_.payload_max) wait_for_body = false;
      body = n;
    }
  }
  if (wait_for_body && b.size() - head < body) return Ready::kNeedMore;
  return Ready::kServe;
}

void ConnectionHub::Park(Conn* c) {
  if (c->buf.empty() && c->buf.capacity() > 4096) std::string().swap(c->buf);
  const auto wait = c->buf.empty() ? options_.keep_alive : options_.read_timeout;
  c->deadline.store(NowMs() + wait.count(), std::memory_order_release);
  epoll_event ev{EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, {.ptr = c}};
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd, &ev) != 0) Close(c);
}

void ConnectionHub::Close(Conn* c) {
  {
    MutexLock lock(&mu_);
    conns_.erase(c);
  }
  ::shutdown(c->fd, SHUT_RDWR);
  ::close(c->fd);  // also leaves the epoll set
  delete c;
}

// Expired connections are shut down, not closed: the event that follows
// (EOF) hands each to a worker, the only place a connection is closed.
void ConnectionHub::Sweep() {
  const int64_t now = NowMs();
  MutexLock lock(&mu_);
  for (Conn* c : conns_) {
    if (!c->expired && c->deadline.load() < now) {
      c->expired = true;
      ::shutdown(c->fd, SHUT_RDWR);
    }
  }
}

void ConnectionHub::Shutdown() {
  std::list<std::thread> threads;
  {
    MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
    stopping_ = true;
    // Requests being read or answered see EOF on reading; their answers
    // are still written.
    for (Conn* c : conns_) ::shutdown(c->fd, SHUT_RD);
    threads.splice(threads.end(), threads_);
    threads.splice(threads.end(), finished_);
  }
  uint64_t one = 1;
  (void)::write(stop_fd_, &one, sizeof one);
  for (auto& t : threads) t.join();
  MutexLock lock(&mu_);
  for (Conn* c : conns_) {
    ::close(c->fd);
    delete c;
  }
  conns_.clear();
}

HubServer::HubServer(ConnectionHub::Options options)
    : hub_(options, [this](httplib::Stream& strm, bool close_connection, bool& connection_closed) {
        return process_request(strm, close_connection, connection_closed, nullptr);
      }) {
  new_task_queue = [] { return new InlineTaskQueue; };
}

bool HubServer::process_and_close_socket(socket_t sock) {
  hub_.Adopt(sock);
  return true;
}

size_t RaiseOpenFileLimit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 1024;
  if (r.rlim_cur < r.rlim_max) {
    rlimit raised = r;
    raised.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
  }
  return r.rlim_cur == RLIM_INFINITY ? std::numeric_limits<size_t>::max() : static_cast<size_t>(r.rlim_cur);
}

}  // namespace onsmqtt::mock
