// Connections: idle keep-alive and half-open connections never delay another
// client; a POST without Content-Length has an empty body; the connection
// cap answers 503; Stop closes every connection. Raw sockets, so each test
// controls exactly what is sent and when.
//
// No timing assertions: the answer timeouts below (3 s) only tell "answered
// while the others were open" from "answered after their 5 s timeouts".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;

constexpr int kTimeoutMs = 3000;  // under the old model the wait was >= 5 s

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

struct Answer {
  int status = 0;  // 0: none within the timeout (or the connection closed first)
  std::string body;
  bool closed = false;  // the server closed the connection after it
};

// Reads one HTTP answer (its head and Content-Length body) from *pending
// and then the socket, waiting at most timeout_ms for each read; leaves
// what follows in *pending.
Answer ReadAnswer(int fd, std::string* pending, int timeout_ms = kTimeoutMs) {
  Answer a;
  std::string& in = *pending;
  for (;;) {
    size_t head_end = in.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::string head = in.substr(0, head_end);
      size_t cl = ToLower(head).find("content-length:");
      size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
      if (in.size() >= head_end + 4 + length) {
        a.status = std::stoi(head.substr(9, 3));
        a.body = in.substr(head_end + 4, length);
        a.closed = ToLower(head).find("connection: close") != std::string::npos;
        in.erase(0, head_end + 4 + length);
        return a;
      }
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return a;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      a.closed = true;
      return a;
    }
    in.append(buf, static_cast<size_t>(n));
  }
}

Answer Request(int fd, const std::string& raw, int timeout_ms = kTimeoutMs) {
  std::string pending;
  if (!SendAll(fd, raw)) return {};
  return ReadAnswer(fd, &pending, timeout_ms);
}

// Open: nothing to read and no end of stream (the server neither answered
// nor closed).
bool StillOpen(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) == 0) return true;
  char c;
  return ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

// Reads until the server closes the connection (true) or timeout_ms passes.
bool ClosedByServer(int fd, int timeout_ms = kTimeoutMs) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

struct Sockets {
  std::vector<int> fds;
  ~Sockets() {
    for (int fd : fds) ::close(fd);
  }
};

constexpr char kHealth[] = "GET /__admin/health HTTP/1.1\r\nHost: mock\r\n\r\n";

TEST(ConnectionsTest, IdleKeepAliveConnectionsDoNotDelayANewClient) {
  MockFixture mock;
  constexpr int kIdle = 200;  // the old model served 64 at once, each held until its 5 s timeout
  Sockets idle;
  for (int i = 0; i < kIdle; ++i) {
    int fd = Connect(mock.port());
    ASSERT_GE(fd, 0);
    idle.fds.push_back(fd);
    ASSERT_TRUE(SendAll(fd, kHealth));
  }
  // Every one answered without waiting for another's idle timeout, and
  // kept open (keep-alive): all are idle now. (The old model answered
  // batches of 64, 5 s apart.)
  for (int fd : idle.fds) {
    std::string pending;
    Answer a = ReadAnswer(fd, &pending);
    ASSERT_EQ(a.status, 200);
    ASSERT_FALSE(a.closed);
  }
  int fresh = Connect(mock.port());
  ASSERT_GE(fresh, 0);
  idle.fds.push_back(fresh);
  Answer a = Request(fresh, kHealth);
  EXPECT_EQ(a.status, 200) << "a new client waited for idle connections";
  int still_open = 0;
  for (int i = 0; i < kIdle; ++i) still_open += StillOpen(idle.fds[i]) ? 1 : 0;
  EXPECT_EQ(still_open, kIdle) << "answered only after idle connections were closed";
  // And each idle connection still serves its next request.
  EXPECT_EQ(Request(idle.fds[0], kHealth).status, 200);
  EXPECT_EQ(Request(idle.fds[kIdle - 1], kHealth).status, 200);
}

TEST(ConnectionsTest, HalfOpenConnectionsDoNotDelayHealth) {
  MockFixture mock;
  constexpr int kSlow = 200;
  Sockets slow;
  for (int i = 0; i < kSlow; ++i) {
    int fd = Connect(mock.port());
    ASSERT_GE(fd, 0);
    slow.fds.push_back(fd);
    ASSERT_TRUE(SendAll(fd, "GET /__admin/health HTTP/1.1\r\nHost: mo"));  // headers never finished
  }
  int fresh = Connect(mock.port());
  ASSERT_GE(fresh, 0);
  slow.fds.push_back(fresh);
  Answer a = Request(fresh, kHealth);
  EXPECT_EQ(a.status, 200) << "health waited for half-open connections";
  EXPECT_NE(a.body.find("\"status\":\"ok\""), std::string::npos) << a.body;
  int still_open = 0;
  for (int i = 0; i < kSlow; ++i) still_open += StillOpen(slow.fds[i]) ? 1 : 0;
  EXPECT_EQ(still_open, kSlow) << "half-open connections were answered or closed to make room";
  // A slow client that finishes its request is answered.
  std::string pending;
  ASSERT_TRUE(SendAll(slow.fds[0], "ck\r\n\r\n"));
  EXPECT_EQ(ReadAnswer(slow.fds[0], &pending).status, 200);
}

TEST(ConnectionsTest, PostWithoutContentLengthIsAnEmptyBody) {
  MockFixture mock;
  ASSERT_EQ(mock.Admin("POST", "faults", R"({"code":"InternalError"})").status, 200);
  int fd = Connect(mock.port());
  ASSERT_GE(fd, 0);
  Sockets s{{fd}};
  // curl -X POST .../__admin/reset sends exactly this: no Content-Length.
  Answer a = Request(fd, "POST /__admin/reset HTTP/1.1\r\nHost: mock\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("\"reset\":true"), std::string::npos) << a.body;
  EXPECT_TRUE(mock.Admin("GET", "faults").json["faults"].empty()) << "the reset did not happen";
  // The same connection serves the next one (nothing was taken as a body).
  Answer del = Request(fd, "DELETE /__admin/journal HTTP/1.1\r\nHost: mock\r\n\r\n");
  EXPECT_EQ(del.status, 200) << del.body;
  // A gateway call without a body: the service's envelope, not a bare 400.
  Answer api = Request(fd, "POST /?Action=ActiveDeviceCertificate&Version=2020-04-20 HTTP/1.1\r\nHost: mock\r\n\r\n");
  EXPECT_NE(api.body.find("\"RequestId\""), std::string::npos) << api.status << " " << api.body;
}

TEST(ConnectionsTest, PipelinedAndSlowlyArrivingRequestsAreServed) {
  MockFixture mock;
  int fd = Connect(mock.port());
  ASSERT_GE(fd, 0);
  Sockets s{{fd}};
  ASSERT_TRUE(SendAll(fd, std::string(kHealth) + kHealth));
  std::string pending;
  EXPECT_EQ(ReadAnswer(fd, &pending).status, 200);
  EXPECT_EQ(ReadAnswer(fd, &pending).status, 200);
  // A body that arrives after its head.
  const std::string body = R"({"code":"InternalError","times":1})";
  ASSERT_TRUE(SendAll(fd,
                      "POST /__admin/faults HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(SendAll(fd, body.substr(5)));
  Answer a = ReadAnswer(fd, &pending);
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(mock.Admin("GET", "faults").json["faults"].size(), 1u);
}

TEST(ConnectionsTest, AnOverlongHeadIsRefused) {
  MockFixture mock;
  int fd = Connect(mock.port());
  ASSERT_GE(fd, 0);
  Sockets s{{fd}};
  std::string head = "GET /__admin/health HTTP/1.1\r\nHost: mock\r\n";
  while (head.size() < 70 * 1024) head += "X-Filler: " + std::string(100, 'a') + "\r\n";
  ASSERT_TRUE(SendAll(fd, head));  // never finished
  std::string pending;
  Answer a = ReadAnswer(fd, &pending);
  EXPECT_EQ(a.status, 431) << a.body;
}

TEST(ConnectionsTest, BeyondTheCapANewConnectionIsAnswered503) {
  MockOptions options;
  options.max_connections = 4;
  MockFixture mock(options);
  Sockets open;
  for (int i = 0; i < 4; ++i) {
    open.fds.push_back(Connect(mock.port()));
    EXPECT_EQ(Request(open.fds.back(), kHealth).status, 200);
  }
  int fifth = Connect(mock.port());
  ASSERT_GE(fifth, 0);
  open.fds.push_back(fifth);
  std::string pending;
  Answer refused = ReadAnswer(fifth, &pending);  // answered without a request
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("--max-connections"), std::string::npos) << refused.body;
  EXPECT_TRUE(refused.closed);
  // Once one closes, a new connection is served again (the mock notices the
  // close asynchronously: a few tries).
  ::shutdown(open.fds[0], SHUT_RDWR);
  int status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    int fd = Connect(mock.port());
    open.fds.push_back(fd);
    status = Request(fd, kHealth).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
}

TEST(ConnectionsTest, StopClosesIdleAndHalfOpenConnections) {
  MockFixture mock;
  Sockets s;
  int idle = Connect(mock.port());
  s.fds.push_back(idle);
  ASSERT_EQ(Request(idle, kHealth).status, 200);
  int half = Connect(mock.port());
  s.fds.push_back(half);
  ASSERT_TRUE(SendAll(half, "GET /__admin/health HTTP/1.1\r\n"));
  int fresh = Connect(mock.port());  // connected, nothing sent
  s.fds.push_back(fresh);
  mock.server().Stop();
  EXPECT_TRUE(ClosedByServer(idle)) << "idle keep-alive connection left open";
  EXPECT_TRUE(ClosedByServer(half)) << "half-open connection left open";
  EXPECT_TRUE(ClosedByServer(fresh)) << "fresh connection left open";
  EXPECT_LT(Connect(mock.port()), 0) << "still listening";
}

}  // namespace
}  // namespace onsmqtt::mock
