#include "mock_server/gateway/nonce_cache.h"

namespace onsmqtt::mock {

NonceCache::NonceCache(const Clock* clock, std::chrono::seconds window, size_t capacity)
    : clock_(clock), window_(window), capacity_(capacity == 0 ? 1 : capacity) {}

void NonceCache::DropExpired(TimePoint now) {
  while (!by_expiry_.empty() && (by_expiry_.top().at <= now || live_.size() > capacity_)) {
    const Expiry& top = by_expiry_.top();
    // The heap may hold an outdated expiry for a key that was re-recorded.
    auto it = live_.find(top.key);
    if (it != live_.end() && it->second == top.at) live_.erase(it);
    by_expiry_.pop();
  }
}

bool NonceCache::CheckAndRecord(const std::string& access_key_id, const std::string& nonce, TimePoint timestamp) {
  std::string key = std::to_string(access_key_id.size());
  key.push_back(':');
  key.append(access_key_id).append(nonce);
  const TimePoint now = clock_->Now();
  TimePoint expiry = timestamp + window_;
  if (expiry <= now) expiry = now + std::chrono::seconds(1);  // not expected: the window was checked before
  MutexLock lock(&mu_);
  DropExpired(now);
  auto [it, inserted] = live_.emplace(key, expiry);
  if (!inserted) return false;
  by_expiry_.push(Expiry{expiry, std::move(key)});
  if (live_.size() > capacity_) DropExpired(now);
  return true;
}

void NonceCache::Clear() {
  MutexLock lock(&mu_);
  live_.clear();
  by_expiry_ = {};
}

size_t NonceCache::size() const {
  MutexLock lock(&mu_);
  return live_.size();
}

}  // namespace onsmqtt::mock
