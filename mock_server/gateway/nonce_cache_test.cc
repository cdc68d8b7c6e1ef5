#include "mock_server/gateway/nonce_cache.h"

#include <gtest/gtest.h>

namespace onsmqtt::mock {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(seconds(1'800'000'000));

TEST(NonceCacheTest, SecondUseOfANonceIsRefusedPerAccessKey) {
  ManualClock clock(kStart);
  NonceCache cache(&clock, minutes(15));
  EXPECT_TRUE(cache.CheckAndRecord("key-a", "n1", kStart));
  EXPECT_FALSE(cache.CheckAndRecord("key-a", "n1", kStart));
  EXPECT_TRUE(cache.CheckAndRecord("key-b", "n1", kStart)) << "nonces are scoped per access key";
  EXPECT_TRUE(cache.CheckAndRecord("key-a", "n2", kStart));
  EXPECT_TRUE(cache.CheckAndRecord("key-a1", "n", kStart));
  EXPECT_TRUE(cache.CheckAndRecord("key-a", "1n", kStart)) << "key and nonce do not run into each other";
}

TEST(NonceCacheTest, NonceIsForgottenWhenItsTimestampLeavesTheWindow) {
  ManualClock clock(kStart);
  NonceCache cache(&clock, minutes(15));
  // Signed 5 minutes ago: remembered until signed + 15 min = now + 10 min.
  EXPECT_TRUE(cache.CheckAndRecord("k", "n", kStart - minutes(5)));
  clock.Advance(minutes(10) - seconds(1));
  EXPECT_FALSE(cache.CheckAndRecord("k", "n", kStart - minutes(5)));
  clock.Advance(seconds(1));
  EXPECT_TRUE(cache.CheckAndRecord("k", "n", kStart - minutes(5)));
}

TEST(NonceCacheTest, ExpiredEntriesAreDropped) {
  ManualClock clock(kStart);
  NonceCache cache(&clock, minutes(15));
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(cache.CheckAndRecord("k", "n" + std::to_string(i), kStart));
  EXPECT_EQ(cache.size(), 100u);
  clock.Advance(minutes(16));
  EXPECT_TRUE(cache.CheckAndRecord("k", "fresh", clock.Now()));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(NonceCacheTest, CapacityBoundsMemoryEvictingTheSoonestToExpire) {
  ManualClock clock(kStart);
  NonceCache cache(&clock, minutes(15), 3);
  ASSERT_TRUE(cache.CheckAndRecord("k", "old", kStart - minutes(10)));
  ASSERT_TRUE(cache.CheckAndRecord("k", "a", kStart));
  ASSERT_TRUE(cache.CheckAndRecord("k", "b", kStart));
  ASSERT_TRUE(cache.CheckAndRecord("k", "c", kStart));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.CheckAndRecord("k", "a", kStart));
  EXPECT_TRUE(cache.CheckAndRecord("k", "old", kStart - minutes(10))) << "evicted first";
}

TEST(NonceCacheTest, ClearForgetsEverything) {
  ManualClock clock(kStart);
  NonceCache cache(&clock, minutes(15));
  ASSERT_TRUE(cache.CheckAndRecord("k", "n", kStart));
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.CheckAndRecord("k", "n", kStart));
}

}  // namespace
}  // namespace onsmqtt::mock
