#include "mock_server/gateway/throttle.h"

#include <cassert>

namespace onsmqtt::mock {

Throttle::Throttle(int limit, const Clock* clock) : limit_(limit), clock_(clock) { assert(limit > 0); }

bool Throttle::Admit(const std::string& account_uid, const std::string& action) {
  // Length-prefixed so that no two (uid, action) pairs share a key.
  std::string key = std::to_string(account_uid.size());
  key.push_back(':');
  key.append(account_uid).append(action);
  const TimePoint now = clock_->Now();
  const TimePoint window_start = now - std::chrono::seconds(1);
  MutexLock lock(&mu_);
  std::deque<TimePoint>& accepted = windows_[key];
  // Calls at or before now - 1s are outside (now - 1s, now].
  while (!accepted.empty() && accepted.front() <= window_start) accepted.pop_front();
  if (accepted.size() >= static_cast<size_t>(limit_)) return false;
  accepted.push_back(now);
  return true;
}

void Throttle::Clear() {
  MutexLock lock(&mu_);
  windows_.clear();
}

}  // namespace onsmqtt::mock
