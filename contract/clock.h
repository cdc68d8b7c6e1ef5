#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace onsmqtt {

using TimePoint = std::chrono::system_clock::time_point;

// The time source. Everything that reads the time (timestamps, nonce
// windows, throttling) takes a Clock so tests are exact. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  static const SystemClock& Instance();
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : micros_(ToMicros(start)) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(micros_.load())); }
  void Set(TimePoint t) { micros_.store(ToMicros(t)); }
  void Advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

 private:
  static int64_t ToMicros(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> micros_;
};

// How FormatTimestamp writes an instant: "YYYY-MM-DDThh:mm:ss" in UTC, then
enum class TimestampStyle {
  kContract,  // "Z": the contract's timestamp format (Timestamp, x-acs-date)
  kMillis,    // ".mmmZ": logs and journals
  kNoZone,    // nothing: the JUnit (Ant) schema's pattern, which forbids a zone
};
// The instant in that style; the seconds (and milliseconds) are rounded down.
std::string FormatTimestamp(TimePoint t, TimestampStyle style = TimestampStyle::kContract);
// Parses exactly that format (also accepts fractional seconds ".sss" before
// the Z, as some clients send). nullopt when malformed. Years before 1970
// give 1970-01-01T00:00:00Z and years from 2200 on 2200-01-01T00:00:00Z
// (out of every timestamp window either way; TimePoint cannot hold 4046).
std::optional<TimePoint> ParseTimestamp(std::string_view text);
// Milliseconds since the epoch (the contract's ValidBegin/ValidEnd).
int64_t EpochMillis(TimePoint t);

// An uppercase UUID v4, the format of RequestId.
std::string NewRequestId();
// True if `id` is an uppercase UUID (8-4-4-4-12 hex digits).
bool IsRequestIdFormat(std::string_view id);

}  // namespace onsmqtt
