#include "mock_server/gateway/throttle.h"

#include <gtest/gtest.h>

namespace onsmqtt::mock {
namespace {

using std::chrono::milliseconds;

const TimePoint kStart = TimePoint(std::chrono::seconds(1'800'000'000));

int AdmitMany(Throttle* t, int n, const std::string& uid = "1", const std::string& action = "A") {
  int accepted = 0;
  for (int i = 0; i < n; ++i) accepted += t->Admit(uid, action) ? 1 : 0;
  return accepted;
}

TEST(ThrottleTest, BurstOfTwiceTheLimitInOneInstantAcceptsExactlyTheLimit) {
  for (int limit : {1, 2, 7, 500}) {
    ManualClock clock(kStart);
    Throttle t(limit, &clock);
    int accepted = 0, throttled = 0;
    for (int i = 0; i < 2 * limit; ++i) (t.Admit("1", "A") ? accepted : throttled)++;
    EXPECT_EQ(accepted, limit) << "limit " << limit;
    EXPECT_EQ(throttled, limit) << "limit " << limit;
  }
}

TEST(ThrottleTest, BurstSpreadInsideOneSecondAcceptsExactlyTheLimit) {
  ManualClock clock(kStart);
  Throttle t(10, &clock);
  int accepted = 0;
  for (int i = 0; i < 20; ++i) {
    accepted += t.Admit("1", "A") ? 1 : 0;
    clock.Advance(milliseconds(49));  // 20 calls over 0.95 s
  }
  EXPECT_EQ(accepted, 10);
}

struct EdgeCase {
  const char* name;
  int64_t second_burst_at_ms;  // after a full burst of `limit` calls at t
  int expect_accepted;         // of a second burst of `limit` calls
};

TEST(ThrottleTest, SlidingWindowEdges) {
  const EdgeCase cases[] = {
      {"same instant", 0, 0},
      {"half a second later", 500, 0},
      {"one microsecond before t+1s", 999, 0},
      {"exactly t+1s: (t, t+1s] no longer holds t", 1000, 3},
      {"after t+1s", 1500, 3},
  };
  for (const auto& c : cases) {
    ManualClock clock(kStart);
    Throttle t(3, &clock);
    ASSERT_EQ(AdmitMany(&t, 3), 3) << c.name;
    clock.Advance(milliseconds(c.second_burst_at_ms));
    if (c.second_burst_at_ms == 999) clock.Advance(std::chrono::microseconds(999));
    EXPECT_EQ(AdmitMany(&t, 3), c.expect_accepted) << c.name;
  }
}

TEST(ThrottleTest, EveryOneSecondIntervalHoldsAtMostTheLimit) {
  // Calls at t (2), t+0.5s (2): with limit 3 the second pair gets one slot.
  // At t+1.0s the two calls from t leave the window, the one from t+0.5s
  // stays: two more slots.
  ManualClock clock(kStart);
  Throttle t(3, &clock);
  EXPECT_EQ(AdmitMany(&t, 2), 2);
  clock.Advance(milliseconds(500));
  EXPECT_EQ(AdmitMany(&t, 2), 1);
  clock.Advance(milliseconds(500));
  EXPECT_EQ(AdmitMany(&t, 5), 2);
  clock.Advance(milliseconds(499));
  EXPECT_EQ(AdmitMany(&t, 5), 0) << "(t+0.5s, t+1.499s] still holds the call from t+0.5s and two from t+1s";
  clock.Advance(milliseconds(1));
  EXPECT_EQ(AdmitMany(&t, 5), 1) << "the call from t+0.5s left at t+1.5s";
}

TEST(ThrottleTest, ThrottledCallsDoNotCount) {
  ManualClock clock(kStart);
  Throttle t(2, &clock);
  EXPECT_EQ(AdmitMany(&t, 2), 2);
  clock.Advance(milliseconds(900));
  // Many rejected calls at t+0.9s must not push the window forward.
  EXPECT_EQ(AdmitMany(&t, 100), 0);
  clock.Advance(milliseconds(100));  // t+1.0s: the accepted calls from t leave
  EXPECT_EQ(AdmitMany(&t, 3), 2);
}

TEST(ThrottleTest, KeysAreSeparatePerAccountAndPerAction) {
  ManualClock clock(kStart);
  Throttle t(2, &clock);
  EXPECT_EQ(AdmitMany(&t, 3, "1", "ActiveDeviceCertificate"), 2);
  EXPECT_EQ(AdmitMany(&t, 3, "1", "GetDeviceCertificate"), 2);
  EXPECT_EQ(AdmitMany(&t, 3, "2", "ActiveDeviceCertificate"), 2);
  // Key parts cannot run into each other.
  EXPECT_EQ(AdmitMany(&t, 3, "1\nA", "B"), 2);
  EXPECT_EQ(AdmitMany(&t, 3, "1", "A\nB"), 2);
}

TEST(ThrottleTest, ClearForgetsAcceptedCalls) {
  ManualClock clock(kStart);
  Throttle t(1, &clock);
  EXPECT_TRUE(t.Admit("1", "A"));
  EXPECT_FALSE(t.Admit("1", "A"));
  t.Clear();
  EXPECT_TRUE(t.Admit("1", "A"));
}

TEST(ThrottleTest, HugeLimitDoesNotPreallocate) {
  ManualClock clock(kStart);
  Throttle t(1'000'000'000, &clock);
  EXPECT_EQ(AdmitMany(&t, 1000), 1000);
}

}  // namespace
}  // namespace onsmqtt::mock
