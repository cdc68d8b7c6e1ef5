#pragma once

// Internal to the mock's server wiring (and bench/minimal_server.cc, which
// must be built like the mock): includes httplib.h, so keep it out of
// public headers.

#include <httplib.h>

#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <system_error>
#include <thread>

#include "contract/mutex.h"

namespace onsmqtt::mock {

// httplib's ThreadPool starts every thread at once (64 threads cost start
// time and memory the mock rarely needs). This pool starts one worker and
// adds one whenever a task arrives while every worker is busy, up to `max`;
// a worker without a task for `idle_exit` exits (one always stays). With
// httplib's own connection handling (the mock's TLS server) a keep-alive
// connection holds a worker, so `max` bounds the connections served at
// once; more wait in the queue. Thread-safe.
class ElasticThreadPool final : public httplib::TaskQueue {
 public:
  explicit ElasticThreadPool(size_t max, std::chrono::milliseconds idle_exit = std::chrono::seconds(30))
      : max_(max == 0 ? 1 : max), idle_exit_(idle_exit) {}
  ~ElasticThreadPool() override = default;

  void enqueue(std::function<void()> fn) override {
    MutexLock lock(&mu_);
    jobs_.push_back(std::move(fn));
    for (auto& t : finished_) t.join();
    finished_.clear();
    if (idle_ < jobs_.size() && threads_.size() < max_) {
      try {
        threads_.emplace_back();
        auto self = std::prev(threads_.end());
        *self = std::thread([this, self] { Work(self); });
      } catch (const std::system_error&) {
        threads_.pop_back();  // out of threads: the task waits for a running worker
      }
    }
    lock.Unlock();
    cv_.NotifyOne();
  }

  void shutdown() override {
    std::list<std::thread> threads;
    {
      MutexLock lock(&mu_);
      shutdown_ = true;
      // No thread is added after shutdown_ (enqueue is not called any more);
      // none moves to finished_ either: a worker that sees shutdown_ ends
      // where it is.
      threads.splice(threads.end(), threads_);
      threads.splice(threads.end(), finished_);
    }
    cv_.NotifyAll();
    for (auto& t : threads) t.join();
  }

 private:
  void Work(std::list<std::thread>::iterator self) {
    MutexLock lock(&mu_);
    for (;;) {
      ++idle_;
      const auto deadline = std::chrono::steady_clock::now() + idle_exit_;
      while (!shutdown_ && jobs_.empty() && cv_.WaitUntil(&mu_, deadline)) {
      }
      const bool woken = shutdown_ || !jobs_.empty();
      --idle_;
      if (!woken && threads_.size() > 1) {
        finished_.splice(finished_.end(), threads_, self);  // joined by the next enqueue or shutdown
        return;
      }
      if (jobs_.empty()) {
        if (shutdown_) return;
        continue;
      }
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.Unlock();
      fn();
      lock.Lock();
    }
  }

  const size_t max_;
  const std::chrono::milliseconds idle_exit_;
  Mutex mu_;
  CondVar cv_;
  std::deque<std::function<void()>> jobs_ GUARDED_BY(mu_);
  std::list<std::thread> threads_ GUARDED_BY(mu_);   // joined after shutdown_
  std::list<std::thread> finished_ GUARDED_BY(mu_);  // exited on idle, to join
  size_t idle_ GUARDED_BY(mu_) = 0;
  bool shutdown_ GUARDED_BY(mu_) = false;
};

}  // namespace onsmqtt::mock
