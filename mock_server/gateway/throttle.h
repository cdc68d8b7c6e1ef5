#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <unordered_map>

#include "contract/clock.h"
#include "contract/mutex.h"

// The per-account, per-operation flow control of CONTRACT.md §1: at most
// `limit` accepted calls in EVERY one-second interval (a true sliding
// window, not fixed buckets).
//
// For each key the throttle keeps the times of the calls it accepted during
// the last second, oldest first. A call at `now` is accepted iff fewer than
// `limit` accepted calls lie in (now - 1s, now]; a throttled call is not
// recorded, so it never counts against later calls. Memory per key is
// bounded by min(limit, calls accepted in one second).
//
// The clock is injected (tests use ManualClock) and assumed not to run
// backwards; a clock that does only makes the window look fuller.
//
// Thread-safe.
namespace onsmqtt::mock {

class Throttle {
 public:
  // REQUIRES: limit > 0. `clock` must outlive the throttle.
  Throttle(int limit, const Clock* clock);
  Throttle(const Throttle&) = delete;
  Throttle& operator=(const Throttle&) = delete;

  // True: the call is accepted and counted. False: over the limit.
  bool Admit(const std::string& account_uid, const std::string& action);

  // Forgets every accepted call (admin reset).
  void Clear();

  int limit() const { return limit_; }

 private:
  const int limit_;
  const Clock* clock_;
  Mutex mu_;
  // "<len(uid)>:<uid><action>" -> accepted call times within the last second, oldest first.
  std::unordered_map<std::string, std::deque<TimePoint>> windows_ GUARDED_BY(mu_);
};

}  // namespace onsmqtt::mock
