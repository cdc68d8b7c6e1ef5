#pragma once

// Internal to the mock's server wiring (and bench/minimal_server.cc, which
// must be built like the mock): includes httplib.h, so keep it out of
// public headers.

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace onsmqtt::mock {

// httplib's ThreadPool starts every thread at once (64 threads cost start
// time and memory the mock rarely needs). This pool starts one worker and
// adds one whenever a task arrives while every worker is busy, up to `max`
// (a keep-alive connection holds a worker, so `max` bounds the connections
// served at once; more wait in the queue).
// Thread-safe.
class ElasticThreadPool final : public httplib::TaskQueue {
 public:
  explicit ElasticThreadPool(size_t max) : max_(max == 0 ? 1 : max) {}
  ~ElasticThreadPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_.size() < max_) {
      threads_.emplace_back([this] { Work(); });
    }
    lock.unlock();
    cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutdown_ = true;
    }
    cv_.notify_all();
    // No thread is added after shutdown_ (enqueue is not called any more).
    for (auto& t : threads_) t.join();
  }

 private:
  void Work() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // shutdown_ and nothing left
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;        // GUARDED_BY(mu_) (joined after shutdown_)
  size_t idle_ = 0;                         // GUARDED_BY(mu_)
  bool shutdown_ = false;                   // GUARDED_BY(mu_)
};

}  // namespace onsmqtt::mock
