// The adapter as a process: spawning it, the non-blocking pump of its three
// pipes, its exit and its stderr tail. The protocol is client_adapter.cc.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "runner/execute/client_adapter.h"

extern char** environ;

namespace onsmqtt::runner {
namespace {

constexpr size_t kMaxStderrLine = 2048;
constexpr size_t kReadChunk = 65536;

void CloseFd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int MillisUntil(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left.count(), 60000)));
}

// Writes to a closed pipe must give EPIPE, not kill the runner.
void IgnoreSigpipe() {
  struct sigaction old {};
  if (::sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
}

}  // namespace

Status ClientAdapter::Spawn() {
  IgnoreSigpipe();
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  // Its own process group, so that Close() also ends what the shell started.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::string sh = "/bin/sh", dash_c = "-c", command = options_.command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
  int rc = posix_spawn(&pid_, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]), ::close(out[1]), ::close(err[1]);
  in_ = in[1], out_ = out[0], err_ = err[0];
  if (rc != 0) {
    pid_ = -1;
    reaped_ = true;
    return Fail(ClientFailure::kStart, std::string("cannot start /bin/sh: ") + std::strerror(rc));
  }
  SetNonBlocking(in_), SetNonBlocking(out_), SetNonBlocking(err_);
  return Status::Ok();
}

void ClientAdapter::DrainStderr() {
  char buf[kReadChunk];
  while (err_ >= 0) {
    ssize_t n = ::read(err_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
      if (!err_partial_.empty()) err_lines_.push_back(std::move(err_partial_));
      err_partial_.clear();
      CloseFd(&err_);
      break;
    }
    if (n < 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        err_lines_.push_back(std::move(err_partial_));
        err_partial_.clear();
      } else if (err_partial_.size() < kMaxStderrLine) {
        err_partial_ += buf[i];
      }
    }
  }
  while (err_lines_.size() > kClientStderrLines) err_lines_.pop_front();
}

std::string ClientAdapter::StderrTail() const {
  std::string out;
  for (const std::string& line : err_lines_) out += (out.empty() ? "" : "\n") + line;
  if (!err_partial_.empty()) out += (out.empty() ? "" : "\n") + err_partial_;
  return out;
}

bool ClientAdapter::ExtractLine(std::string* line) {
  size_t nl = out_buf_.find('\n');
  if (nl == std::string::npos) return false;
  *line = out_buf_.substr(0, nl);
  out_buf_.erase(0, nl + 1);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

StatusOr<std::string> ClientAdapter::ReadLine(std::chrono::steady_clock::time_point deadline,
                                              const std::string& waiting_for) {
  if (broken()) return Fail(failure_, "the client adapter is broken");
  char buf[kReadChunk];
  while (true) {
    std::string line;
    if (ExtractLine(&line)) {
      if (line.size() > kMaxClientLine) break;
      return line;
    }
    if (out_buf_.size() > kMaxClientLine) break;
    pollfd fds[3] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}, {pending_.empty() ? -1 : in_, POLLOUT, 0}};
    int timeout = MillisUntil(deadline);
    if (timeout == 0) {
      return Fail(ClientFailure::kTimedOut, "the client adapter timed out: the runner waited " +
                                                std::to_string(options_.timeout_ms + kClientGrace.count()) +
                                                " ms (timeout_ms " + std::to_string(options_.timeout_ms) +
                                                " + 5 s) for " + waiting_for);
    }
    int rc = ::poll(fds, 3, timeout);
    if (rc < 0 && errno != EINTR) return Fail(ClientFailure::kClosed, std::string("poll: ") + std::strerror(errno));
    if (rc <= 0) continue;
    if (fds[1].revents != 0) DrainStderr();
    if (fds[0].revents != 0) {
      ssize_t n = ::read(out_, buf, sizeof(buf));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return EndOfOutput(waiting_for);
      if (n > 0) out_buf_.append(buf, static_cast<size_t>(n));
    }
    if (fds[2].revents != 0) {
      // Its stdin closed: what it still prints (or its exit) tells why.
      bool writable = (fds[2].revents & POLLOUT) != 0;
      ssize_t n = writable ? ::write(in_, pending_.data(), pending_.size()) : -1;
      if (n > 0) pending_.erase(0, static_cast<size_t>(n));
      if (!writable || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        pending_.clear();
        CloseFd(&in_);
      }
    }
  }
  out_buf_.clear();
  return Fail(ClientFailure::kLineTooLong,
              "the client adapter printed a line longer than 16 MiB (the limit) while "
              "the runner waited for " +
                  waiting_for);
}

std::string ClientAdapter::ExitDescription(std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  while (!reaped_ && pid_ > 0) {
    pid_t r = ::waitpid(pid_, &wait_status_, WNOHANG);
    if (r == pid_ || (r < 0 && errno != EINTR)) {
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= until) return "is still running";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFSIGNALED(wait_status_)) {
    int sig = WTERMSIG(wait_status_);
    const char* name = ::strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
  }
  return "exited with status " + std::to_string(WEXITSTATUS(wait_status_));
}

// stdout ended (or stdin broke): the process exited, or closed its stdout.
Status ClientAdapter::EndOfOutput(const std::string& waiting_for) {
  std::string how = ExitDescription(std::chrono::milliseconds(2000));
  bool running = how == "is still running";
  if (!running) DrainStderr();
  std::string message =
      running ? "the client adapter closed its stdout (it is still running)" : "the client adapter " + how;
  return Fail(running ? ClientFailure::kClosed : ClientFailure::kExited,
              message + " while the runner waited for " + waiting_for);
}

Status ClientAdapter::Fail(ClientFailure kind, const std::string& message) {
  if (failure_ == ClientFailure::kNone) failure_ = kind;
  DrainStderr();
  std::string tail = StderrTail();
  return Status::Internal(message + (tail.empty() ? "; its stderr was empty" : "; its stderr ends:\n" + tail));
}

void ClientAdapter::Close() {
  if (in_ < 0 && out_ < 0 && err_ < 0 && (reaped_ || pid_ <= 0)) return;
  CloseFd(&in_);
  if (pid_ > 0 && !reaped_) {
    // Keep draining its output meanwhile, so that it never blocks writing.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!reaped_ && std::chrono::steady_clock::now() < until) {
      char buf[kReadChunk];
      while (out_ >= 0 && ::read(out_, buf, sizeof(buf)) > 0) {
      }
      DrainStderr();
      ExitDescription(std::chrono::milliseconds(20));
    }
    if (!reaped_) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &wait_status_, 0);
      reaped_ = true;
    }
  }
  CloseFd(&out_);
  CloseFd(&err_);
}

void ClientAdapter::CloseInput() { CloseFd(&in_); }

ClientAdapter::~ClientAdapter() { Close(); }

}  // namespace onsmqtt::runner
