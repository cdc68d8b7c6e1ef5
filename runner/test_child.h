#pragma once

// A child process for the end-to-end tests: the onsmqtt-runner and
// onsmqtt-mock binaries, with stdout and stderr on one pipe.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace onsmqtt::runner::testing {

// A child process with its stdout+stderr on a pipe.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      dup2(fds[1], 2);
      close(fds[0]);
      close(fds[1]);
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  ~Child() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (out_ != nullptr) fclose(out_);
  }

  // The next line of output, or "" at the end.
  std::string ReadLine() {
    char buf[8192];
    if (out_ == nullptr || fgets(buf, sizeof(buf), out_) == nullptr) return "";
    output_ += buf;
    return buf;
  }
  // Reads the rest of the output and waits; returns the exit code.
  int Wait() {
    while (!ReadLine().empty()) {
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  void Signal(int sig) { kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool waited_ = false;
  std::string output_;
};

}  // namespace onsmqtt::runner::testing
