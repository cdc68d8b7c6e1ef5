#pragma once

// Internal to the mock's server wiring (and bench/minimal_server.cc, which
// must be built like the mock): includes httplib.h, so keep it out of
// public headers.
//
// cpp-httplib 0.11 hands each accepted connection to a worker thread that
// serves it for its whole keep-alive life, so an idle or half-open
// connection holds a worker until its timeout and every other client waits
// behind it. ConnectionHub replaces that model for plain HTTP:
//
//   - every open connection is parked in one epoll set (EPOLLONESHOT); no
//     thread is held by a connection that is not sending;
//   - a worker that is woken for a connection reads what has arrived into
//     the connection's buffer and serves a request only once it is complete
//     (request line, headers, and a Content-Length body); a half-open
//     request costs its buffer, not a thread;
//   - httplib's own parser and router serve the buffered request
//     (Server::process_request with a Stream over the buffer), so
//     behaviour and limits stay the library's;
//   - workers start on demand (one more whenever the last waiting one
//     takes a request, up to max_workers) and exit after idle_exit without
//     work (one always stays);
//   - a connection idle for keep_alive (or with a request that stops
//     arriving for read_timeout) is closed; beyond max_connections a new
//     connection is answered 503 and closed at once.
//
// Thread-safe. Adopt may be called from any thread; Shutdown once.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <string>
#include <thread>
#include <unordered_set>

#include "contract/mutex.h"

namespace onsmqtt::mock {

class ConnectionHub {
 public:
  struct Options {
    size_t max_connections = 10000;                // open at once; more: 503 and closed
    size_t max_workers = 64;                       // requests handled at once
    std::chrono::milliseconds keep_alive{5000};    // idle connection closed after
    std::chrono::milliseconds read_timeout{5000};  // a started request stalls this long: closed
    std::chrono::milliseconds write_timeout{5000};
    std::chrono::milliseconds idle_exit{30000};  // a worker without work this long exits
    size_t payload_max = 1 << 20;                // bodies up to this are buffered before serving
  };
  // Serves one buffered request on the stream, as httplib's
  // Server::process_request (false: close the connection).
  using Serve = std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

  ConnectionHub(Options options, Serve serve);
  ~ConnectionHub();  // Shutdown()
  ConnectionHub(const ConnectionHub&) = delete;
  ConnectionHub& operator=(const ConnectionHub&) = delete;

  // Takes ownership of an accepted socket.
  void Adopt(int fd);
  // Closes idle connections at once, lets requests being handled finish
  // (their answers carry "Connection: close"), joins the workers, closes
  // everything. Adopt closes sockets afterwards. Idempotent.
  void Shutdown();

  // The socket of the request the calling worker thread is serving, or -1
  // (a handler uses it to drop its own connection).
  static int CurrentSocket();

  size_t connections() const;
  size_t workers() const;

  // A request of at most this many head bytes (request line and headers) is
  // served; a longer head is answered 431 and the connection closed.
  static constexpr size_t kMaxHeadBytes = 64 * 1024;

 private:
  struct Conn;
  enum class Ready { kNeedMore, kServe, kHeadTooLarge };

  void SpawnWorkerLocked() REQUIRES(mu_);
  void Work(std::list<std::thread>::iterator self);
  void HandleEvent(Conn* c);
  void ServeBuffered(Conn* c, bool eof);
  void Park(Conn* c);
  void Close(Conn* c);
  void Sweep();
  Ready Check(Conn* c) const;

  const Options options_;
  const Serve serve_;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;  // every second: close expired connections
  int stop_fd_ = -1;   // eventfd, readable once Shutdown began
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> waiting_{0};  // workers in epoll_wait

  mutable Mutex mu_;
  std::unordered_set<Conn*> conns_ GUARDED_BY(mu_);
  std::list<std::thread> threads_ GUARDED_BY(mu_);
  std::list<std::thread> finished_ GUARDED_BY(mu_);  // exited on idle, to join
  bool shut_down_ GUARDED_BY(mu_) = false;
};

// httplib's TaskQueue that runs each task on the calling thread: with a
// ConnectionHub, the accept loop's task is only Adopt().
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// An httplib::Server whose connections a ConnectionHub serves.
class HubServer : public httplib::Server {
 public:
  explicit HubServer(ConnectionHub::Options options);
  int listening_socket() const { return static_cast<int>(svr_sock_); }
  ConnectionHub& hub() { return hub_; }

 private:
  bool process_and_close_socket(socket_t sock) override;
  ConnectionHub hub_;
};

// Raises the soft open-file limit to the hard one (a connection is a
// descriptor) and returns the soft limit in force afterwards.
size_t RaiseOpenFileLimit();

}  // namespace onsmqtt::mock
