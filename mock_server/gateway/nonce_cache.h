#pragma once

#include <cstddef>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "contract/clock.h"
#include "contract/mutex.h"

// Remembers the signature nonces of accepted requests, per access key, so a
// replay inside the timestamp window is answered SignatureNonceUsed.
//
// A nonce is remembered until the timestamp of the request that used it
// leaves the window (timestamp + window). After that a replay of the same
// signed request fails InvalidTimeStamp.Expired instead, so no replay of a
// signed request ever succeeds twice while it is remembered.
//
// Memory is bounded: expired entries are dropped on every insert, and when
// `capacity` entries are live the one expiring soonest is evicted (a replay
// of that nonce would then pass; with the default capacity that takes more
// than a million accepted requests inside one window).
//
// Thread-safe.
namespace onsmqtt::mock {

class NonceCache {
 public:
  static constexpr size_t kDefaultCapacity = 1 << 20;

  // `clock` must outlive the cache.
  NonceCache(const Clock* clock, std::chrono::seconds window, size_t capacity = kDefaultCapacity);
  NonceCache(const NonceCache&) = delete;
  NonceCache& operator=(const NonceCache&) = delete;

  // Records (access_key_id, nonce) for a request signed at `timestamp`.
  // Returns false (and records nothing) when that pair is already live.
  bool CheckAndRecord(const std::string& access_key_id, const std::string& nonce, TimePoint timestamp);

  void Clear();
  size_t size() const;

 private:
  struct Expiry {
    TimePoint at;
    std::string key;
    bool operator>(const Expiry& o) const { return at > o.at; }
  };
  void DropExpired(TimePoint now) REQUIRES(mu_);

  const Clock* clock_;
  const std::chrono::seconds window_;
  const size_t capacity_;
  mutable Mutex mu_;
  std::unordered_map<std::string, TimePoint> live_ GUARDED_BY(mu_);  // key -> expiry
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<Expiry>> by_expiry_ GUARDED_BY(mu_);
};

}  // namespace onsmqtt::mock
