#include "base/time.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>
#include <vector>

namespace cordon {

TEST(TimeTest, FormatsAwsShapes) {
  TimePoint t = *ParseTimestamp("2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatAmzDate(t), "20150830T123600Z");
  EXPECT_EQ(FormatIso8601(t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatHttpDate(t), "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(FormatIsoLikeBoto3(t), "2015-08-30T12:36:00+00:00");
}

TEST(TimeTest, ParsesFractionsOffsetsEpochAndHttpDates) {
  EXPECT_EQ(FormatIsoLikeBoto3(*ParseTimestamp("2015-08-30T12:36:00.123Z")),
            "2015-08-30T12:36:00.123000+00:00");
  EXPECT_EQ(FormatIso8601(*ParseTimestamp("2015-08-30T14:36:00+02:00")), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatIso8601(*ParseTimestamp("1440938160")), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatIsoLikeBoto3(*ParseTimestamp("1440938160.5")), "2015-08-30T12:36:00.500000+00:00");
  EXPECT_EQ(FormatIso8601(*ParseTimestamp("Sun, 30 Aug 2015 12:36:00 GMT")), "2015-08-30T12:36:00Z");
  EXPECT_FALSE(ParseTimestamp("yesterday").has_value());
  EXPECT_FALSE(ParseTimestamp("").has_value());
}

// FormatIso8601 does its own calendar arithmetic: it must agree with gmtime_r + strftime everywhere,
// including leap days, century years and times before the epoch.
// timegm rolls an impossible date over (2026-13-45 into 2027-02-14); such input is refused instead.
TEST(TimeTest, RefusesDatesAndTimesThatDoNotExist) {
  for (const char* text : {"2026-13-45", "2026-02-30", "2026-00-10", "2026-01-31T24:00:00Z",
                           "2026-01-31T10:61:00Z", "2026-01-00T10:00:00Z"})
    EXPECT_FALSE(ParseTimestamp(text)) << text;
  EXPECT_TRUE(ParseTimestamp("2024-02-29T23:59:60Z"));  // a leap day, and a leap second
}

TEST(TimeTest, Iso8601AgreesWithStrftime) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> seconds = {0, -1, 951782400 /* 2000-02-29 */, 4107542399 /* 2100-02-28T23:59:59 */,
                                  -2208988800 /* 1900-01-01 */};
  for (int i = 0; i < 20000; ++i)
    // 1900 to 2200: TimePoint counts nanoseconds in 64 bits, which ends in 2262.
    seconds.push_back(static_cast<int64_t>(rng() % 9467280000ULL) - 2208988800LL);
  for (int64_t s : seconds) {
    const std::time_t tt = static_cast<std::time_t>(s);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char expected[64];
    std::strftime(expected, sizeof(expected), "%Y-%m-%dT%H:%M:%SZ", &tm);
    ASSERT_EQ(FormatIso8601(TimePoint(std::chrono::seconds(s))), expected) << s;
  }
}

TEST(FakeClockTest, SleepAdvancesTime) {
  FakeClock clock(TimePoint{});
  clock.SleepFor(std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.Now(), TimePoint{} + std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.slept(), std::chrono::milliseconds(1500));
}

}  // namespace cordon
