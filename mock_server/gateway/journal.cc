#include "mock_server/gateway/journal.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "contract/http_message.h"

namespace onsmqtt::mock {

bool IsSecretParameter(const std::string& name) {
  // Case-insensitive substring search, without allocating (every journalled
  // parameter passes here).
  auto contains = [&name](std::string_view word) {
    if (name.size() < word.size()) return false;
    for (size_t i = 0; i + word.size() <= name.size(); ++i) {
      if (EqualsIgnoreCase(std::string_view(name).substr(i, word.size()), word)) return true;
    }
    return false;
  };
  for (std::string_view word : {"secret", "signature", "token", "password"}) {
    if (contains(word)) return true;
  }
  return false;
}

nlohmann::json JournalEntryToJson(const JournalEntry& e) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& [k, v] : e.params) params.push_back({{"name", k}, {"value", v}});
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : e.violations) {
    violations.push_back({{"rule", v.rule}, {"parameter", v.parameter}, {"message", v.message}});
  }
  nlohmann::json j = {
      {"time", FormatTimestamp(e.time, TimestampStyle::kMillis)},
      {"action", e.action},
      {"method", e.method},
      {"scheme", e.scheme},
      {"account_uid", e.account_uid},
      {"access_key_id", e.access_key_id},
      {"status", e.status},
      {"code", e.code},
      {"micros", e.micros},
      {"request_id", e.request_id},
      {"params", std::move(params)},
      {"signature", e.signature},
      {"violations", std::move(violations)},
  };
  if (!e.fault.empty()) j["fault"] = e.fault;
  if (!e.connect.is_null()) j["connect"] = e.connect;
  return j;
}

Journal::Journal(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  // The ring's slots up front: growing the vector while the mock serves
  // would move every recorded entry under the lock, a stall of milliseconds
  // for whichever request records next. Untouched pages cost no resident
  // memory.
  ring_.reserve(capacity_);
}

void Journal::Record(JournalEntry entry) {
  entry.params.erase(std::remove_if(entry.params.begin(), entry.params.end(),
                                    [](const Param& p) { return IsSecretParameter(p.first); }),
                     entry.params.end());
  MutexLock lock(&mu_);
  ++recorded_;
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(entry));
    return;
  }
  // Swap rather than assign: the evicted entry is freed after unlocking.
  std::swap(ring_[next_], entry);
  next_ = (next_ + 1) % capacity_;
  lock.Unlock();
}

std::vector<JournalEntry> Journal::Snapshot(size_t limit, uint64_t* recorded) const {
  MutexLock lock(&mu_);
  *recorded = recorded_;
  std::vector<JournalEntry> out;
  size_t n = limit != 0 && limit < ring_.size() ? limit : ring_.size();
  out.reserve(n);
  // When full, next_ is the oldest slot; the newest n end at next_ - 1.
  for (size_t i = ring_.size() - n; i < ring_.size(); ++i) out.push_back(ring_[(next_ + i) % ring_.size()]);
  return out;
}

std::vector<JournalEntry> Journal::Entries(size_t limit) const {
  uint64_t recorded = 0;
  return Snapshot(limit, &recorded);
}

nlohmann::json Journal::ToJson(size_t limit) const {
  // One snapshot: `recorded` counts every entry listed (and those evicted).
  uint64_t recorded = 0;
  std::vector<JournalEntry> entries = Snapshot(limit, &recorded);
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& e : entries) requests.push_back(JournalEntryToJson(e));
  return {{"capacity", capacity_}, {"recorded", recorded}, {"requests", std::move(requests)}};
}

void Journal::Clear() {
  MutexLock lock(&mu_);
  ring_.clear();
  next_ = 0;
  recorded_ = 0;
}

}  // namespace onsmqtt::mock
