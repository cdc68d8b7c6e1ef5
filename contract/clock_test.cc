#include "contract/clock.h"

#include <gtest/gtest.h>

#include <set>

namespace onsmqtt {
namespace {

TEST(Timestamp, FormatsAndParsesTheContractFormat) {
  std::optional<TimePoint> t = ParseTimestamp("2016-02-23T12:46:24Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatTimestamp(*t), "2016-02-23T12:46:24Z");
  EXPECT_EQ(EpochMillis(*t), 1456231584000);
  EXPECT_TRUE(ParseTimestamp("2016-02-23T12:46:24.123Z").has_value());
}

TEST(Timestamp, MillisecondFormForLogs) {
  TimePoint t = *ParseTimestamp("2016-02-23T12:46:24Z") + std::chrono::milliseconds(7);
  EXPECT_EQ(FormatTimestamp(t, TimestampStyle::kMillis), "2016-02-23T12:46:24.007Z");
}

// One instant in each style; the fraction is dropped, never rounded up.
TEST(Timestamp, EveryStyleOfOneInstant) {
  TimePoint t = TimePoint(std::chrono::seconds(1795000000) + std::chrono::microseconds(999999));
  EXPECT_EQ(FormatTimestamp(t), "2026-11-18T11:06:40Z");
  EXPECT_EQ(FormatTimestamp(t, TimestampStyle::kMillis), "2026-11-18T11:06:40.999Z");
  EXPECT_EQ(FormatTimestamp(t, TimestampStyle::kNoZone), "2026-11-18T11:06:40");
  EXPECT_EQ(FormatTimestamp(TimePoint{}, TimestampStyle::kNoZone), "1970-01-01T00:00:00");
  EXPECT_EQ(FormatTimestamp(TimePoint{}, TimestampStyle::kMillis), "1970-01-01T00:00:00.000Z");
}

TEST(Timestamp, RejectsOtherFormats) {
  for (const char* bad :
       {"", "2016-02-23 12:46:24Z", "2016-02-23T12:46:24", "2016-02-23T12:46:24+08:00", "Tue, 23 Feb 2016 12:46:24 GMT",
        "2016-13-23T12:46:24Z", "2016-02-23T12:46:24Zx", "1456231584"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

// A mock that reads 2024-02-31 as March 2 hides the SDK bug that wrote it.
TEST(Timestamp, RejectsDaysTheMonthDoesNotHave) {
  for (const char* bad :
       {"2024-02-31T00:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-06-31T00:00:00Z", "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-01-00T00:00:00Z", "2026-00-10T00:00:00Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
  for (const char* good : {"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-01-31T23:59:59Z",
                           "2026-12-31T00:00:00Z", "2026-04-30T00:00:00Z"}) {
    std::optional<TimePoint> t = ParseTimestamp(good);
    ASSERT_TRUE(t.has_value()) << good;
    EXPECT_EQ(FormatTimestamp(*t), good);
  }
}

// Found by fuzz_verifier: "4046-..." overflowed the nanosecond TimePoint
// (signed overflow, UBSan), and the request's time wrapped round to 1710.
TEST(Timestamp, FarYearsAreClampedNotWrapped) {
  const TimePoint now = *ParseTimestamp("2026-01-01T00:00:00Z");
  for (const char* far : {"4046-10-26T10:44:32Z", "9999-12-31T23:59:59Z", "2262-04-12T00:00:00Z"}) {
    std::optional<TimePoint> t = ParseTimestamp(far);
    ASSERT_TRUE(t.has_value()) << far;  // well-formed: out of every window, not malformed
    EXPECT_GT(*t, now + std::chrono::hours(24 * 365 * 100)) << far;
    EXPECT_EQ(FormatTimestamp(*t), "2200-01-01T00:00:00Z") << far;
  }
  for (const char* early : {"0001-01-01T00:00:00Z", "1677-09-21T00:12:43Z", "1969-12-31T23:59:59Z"}) {
    std::optional<TimePoint> t = ParseTimestamp(early);
    ASSERT_TRUE(t.has_value()) << early;
    EXPECT_EQ(FormatTimestamp(*t), "1970-01-01T00:00:00Z") << early;
  }
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(*ParseTimestamp("2026-01-01T00:00:00Z"));
  TimePoint a = clock.Now();
  EXPECT_EQ(clock.Now(), a);
  clock.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-01-01T00:00:01Z");
}

TEST(RequestId, IsAnUppercaseUuidV4) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewRequestId();
    EXPECT_TRUE(IsRequestIdFormat(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89AB").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_FALSE(IsRequestIdFormat("020f6a43-19e6-4b6e-b846-44eb31df0000"));
  EXPECT_FALSE(IsRequestIdFormat("020F6A43-19E6-4B6E-B846-44EB31DF****"));
}

}  // namespace
}  // namespace onsmqtt
