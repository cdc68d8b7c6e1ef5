// bench/mock.sh and bench/connections.sh baseline (b): the smallest
// cpp-httplib server built like onsmqtt-mock (same library, same settings:
// TCP_NODELAY, keep-alive count, the mock's ConnectionHub with 64 workers,
// listen backlog) returning a fixed JSON answer from a handler. The ceiling
// the mock can reach with this library.
//
//   bench_minimal_server BODY_FILE [--thread-per-connection]
//     (prints "listening on http://127.0.0.1:PORT/")
//   --thread-per-connection: httplib's own model instead, a worker per
//     connection from a pool of 64 (what the mock did before; connections
//     beyond 64 wait for another's keep-alive timeout)
#include <httplib.h>
#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "mock_server/gateway/connections.h"
#include "mock_server/gateway/elastic_pool.h"

namespace {

class Listener : public httplib::Server {
 public:
  int listening_socket() const { return static_cast<int>(svr_sock_); }
};

}  // namespace

int main(int argc, char** argv) {
  const bool per_connection = argc == 3 && std::strcmp(argv[2], "--thread-per-connection") == 0;
  if (argc != 2 && !per_connection) {
    std::fprintf(stderr, "usage: bench_minimal_server BODY_FILE [--thread-per-connection]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string body = ss.str();
  std::signal(SIGPIPE, SIG_IGN);
  const size_t descriptors = onsmqtt::mock::RaiseOpenFileLimit();
  std::unique_ptr<httplib::Server> server;
  int (*listening)(httplib::Server*) = nullptr;
  if (per_connection) {
    server = std::make_unique<Listener>();
    server->new_task_queue = [] { return new onsmqtt::mock::ElasticThreadPool(64); };
    listening = [](httplib::Server* s) { return static_cast<Listener*>(s)->listening_socket(); };
  } else {
    onsmqtt::mock::ConnectionHub::Options o;  // as the mock's defaults, but every descriptor may be a connection
    o.max_connections = descriptors > 64 ? descriptors - 64 : 1;
    server = std::make_unique<onsmqtt::mock::HubServer>(o);
    listening = [](httplib::Server* s) { return static_cast<onsmqtt::mock::HubServer*>(s)->listening_socket(); };
  }
  server->set_socket_options([](socket_t sock) {  // as the mock: no SO_REUSEPORT
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(1'000'000);
  server->set_keep_alive_timeout(5);
  server->set_payload_max_length(1 << 20);
  auto handler = [&body](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-acs-request-id", "D2E6C4A7-2B1F-4E3D-9A8C-7F6E5D4C3B2A");
    res.set_content(body, "application/json;charset=utf-8");
  };
  server->Get(".*", handler).Post(".*", handler);
  int port = server->bind_to_any_port("127.0.0.1");
  if (port <= 0) return 3;
  ::listen(listening(server.get()), SOMAXCONN);
  std::printf("listening on http://127.0.0.1:%d/\n", port);
  std::fflush(stdout);
  return server->listen_after_bind() ? 0 : 3;
}
