#include "contract/clock.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "contract/crypto.h"

namespace onsmqtt {

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

std::string FormatTimestamp(TimePoint t, TimestampStyle style) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto millis = std::chrono::floor<std::chrono::milliseconds>(t) - seconds;
  std::time_t secs = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (style == TimestampStyle::kMillis) {
    n += std::snprintf(buf + n, sizeof(buf) - n, ".%03d", static_cast<int>(millis.count()));
  }
  std::string out(buf, static_cast<size_t>(n));
  if (style != TimestampStyle::kNoZone) out.push_back('Z');
  return out;
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Days in `month` (1-12) of `year`, Gregorian.
int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<TimePoint> ParseTimestamp(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &month) || s[7] != '-' ||
      !Digits(s, 8, 2, &day) || s[10] != 'T' || !Digits(s, 11, 2, &hour) || s[13] != ':' ||
      !Digits(s, 14, 2, &minute) || s[16] != ':' || !Digits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos, ++digits;
    if (digits == 0) return std::nullopt;
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') return std::nullopt;
  // An impossible date (2024-02-31) is malformed, not the day timegm would
  // carry it over to.
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  // TimePoint counts nanoseconds: it holds 1678-2261 only, and a year
  // beyond overflowed (the fuzz target found 4046). Far times are clamped
  // to a range whose every difference to now still fits.
  constexpr int64_t kEarliest = 0;         // 1970-01-01T00:00:00Z
  constexpr int64_t kLatest = 7258118400;  // 2200-01-01T00:00:00Z
  if (year < 1970) return std::chrono::system_clock::from_time_t(kEarliest);
  if (year >= 2200) return std::chrono::system_clock::from_time_t(kLatest);
  std::time_t secs = timegm(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(std::clamp<int64_t>(secs, kEarliest, kLatest));
}

int64_t EpochMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

namespace {

// xoshiro256** seeded from the DRBG once per thread: request ids need to be
// unique, not secret, and RAND_bytes per request costs a lock and a DRBG
// round.
class IdGenerator {
 public:
  IdGenerator() {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(s_), sizeof(s_)) != 1) {
      throw std::runtime_error("RAND_bytes failed");  // cannot happen with a seeded DRBG
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace

std::string NewRequestId() {
  thread_local IdGenerator gen;
  uint64_t hi = gen.Next();
  uint64_t lo = gen.Next();
  hi = (hi & ~0xF000ull) | 0x4000ull;                         // version 4 (nibble 12)
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10xx (nibble 16)
  static const char kHex[] = "0123456789ABCDEF";
  std::string id(36, '-');
  int nibble = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    uint64_t word = nibble < 16 ? hi : lo;
    int shift = 60 - 4 * (nibble % 16);
    id[i] = kHex[(word >> shift) & 0xF];
    ++nibble;
  }
  return id;
}

bool IsRequestIdFormat(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (id[i] != '-') return false;
    } else if (!std::isdigit(static_cast<unsigned char>(id[i])) && !(id[i] >= 'A' && id[i] <= 'F')) {
      return false;
    }
  }
  return true;
}

}  // namespace onsmqtt
