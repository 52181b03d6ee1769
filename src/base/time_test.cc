#include "base/time.h"

#include <gtest/gtest.h>

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

TEST(FakeClockTest, SleepAdvancesTime) {
  FakeClock clock(TimePoint{});
  clock.SleepFor(std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.Now(), TimePoint{} + std::chrono::milliseconds(1500));
  EXPECT_EQ(clock.slept(), std::chrono::milliseconds(1500));
}

}  // namespace cordon
