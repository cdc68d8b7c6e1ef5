// bench/mock.sh helper: starts a server and measures the time from just
// before exec to its first HTTP answer.
//
//   bench_first_answer [--port N] [--path /p] -- command args...
//
// Without --port, the port is read from the command's stdout line
// "... listening on http://HOST:PORT/". Polls by connecting and sending
// "GET <path>" every 100 us. Prints "pid=<pid> first_answer_us=<n>" and
// leaves the server running (the caller stops it). Exit 1 on timeout (5 s).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

bool Answered(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char buf[16];
      ok = read(fd, buf, sizeof buf) >= 12 && std::strncmp(buf, "HTTP/1.", 7) == 0;
    }
  }
  close(fd);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string path = "/";
  int i = 1;
  for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc)
      port = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--path") == 0 && i + 1 < argc)
      path = argv[++i];
  }
  if (i + 1 >= argc) {
    std::fprintf(stderr, "usage: bench_first_answer [--port N] [--path /p] -- command args...\n");
    return 2;
  }
  int pipefd[2];
  if (pipe(pipefd) != 0) return 1;
  const auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    execvp(argv[i + 1], argv + i + 1);
    _exit(127);
  }
  close(pipefd[1]);
  const auto deadline = start + std::chrono::seconds(5);
  if (port == 0) {
    std::string out;
    char c;
    while (Clock::now() < deadline && read(pipefd[0], &c, 1) == 1) {
      out.push_back(c);
      if (c != '\n') continue;
      size_t at = out.find("listening on http");
      if (at == std::string::npos) continue;
      size_t colon = out.rfind(':');
      port = std::atoi(out.c_str() + colon + 1);
      break;
    }
  }
  while (port > 0 && Clock::now() < deadline) {
    if (Answered(port, path)) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
      std::printf("pid=%d port=%d first_answer_us=%lld\n", pid, port, static_cast<long long>(us));
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  std::fprintf(stderr, "bench_first_answer: no answer within 5 s\n");
  return 1;
}
