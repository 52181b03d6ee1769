#include "aws/retry/adaptive_rate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

TEST(AdaptiveRateTest, WithoutThrottlingTheCeilingHolds) {
  FakeClock clock(TimePoint{});
  AdaptiveRate rate;
  EXPECT_EQ(rate.Rate(clock.Now(), 5), 5);
  clock.SleepFor(milliseconds(10000));
  EXPECT_EQ(rate.Rate(clock.Now(), 20), 20);
}

TEST(AdaptiveRateTest, ThrottleCutsByBetaThenCubicRecoveryReturnsToTheCeiling) {
  FakeClock clock(TimePoint{});
  AdaptiveRate rate;
  ASSERT_TRUE(rate.OnThrottle(clock.Now(), clock.Now(), 20));
  EXPECT_NEAR(rate.Rate(clock.Now(), 20), 14, 1e-9);  // 20 * 0.7
  // Back at w_max after K = cbrt(20 * 0.3 / 0.4) seconds, rising all the way.
  const double k = std::cbrt(20 * 0.3 / 0.4);
  double last = rate.Rate(clock.Now(), 20);
  for (int i = 0; i < 24; ++i) {
    clock.SleepFor(milliseconds(100));
    const double now = rate.Rate(clock.Now(), 20);
    EXPECT_GE(now, last) << i;
    EXPECT_LT(now, 20) << i;  // 2.4 s < K: not yet recovered
    last = now;
  }
  clock.SleepFor(milliseconds(static_cast<int>(std::ceil((k - 2.4) * 1000)) + 1));
  EXPECT_DOUBLE_EQ(rate.Rate(clock.Now(), 20), 20);
  clock.SleepFor(milliseconds(60000));
  EXPECT_DOUBLE_EQ(rate.Rate(clock.Now(), 20), 20);  // never above the ceiling
}

TEST(AdaptiveRateTest, RepeatedThrottlesCutFurtherDownToTheFloor) {
  FakeClock clock(TimePoint{});
  AdaptiveRate rate;
  double expected = 5;
  for (int i = 0; i < 3; ++i) {
    const TimePoint sent = clock.Now();
    clock.SleepFor(milliseconds(1));
    ASSERT_TRUE(rate.OnThrottle(sent, clock.Now(), 5));
    expected *= 0.7;
    EXPECT_NEAR(rate.Rate(clock.Now(), 5), expected, 0.02) << i;  // 1 ms of recovery each time
  }
  for (int i = 0; i < 20; ++i) {
    const TimePoint sent = clock.Now();
    clock.SleepFor(milliseconds(1));
    rate.OnThrottle(sent, clock.Now(), 5);
  }
  EXPECT_NEAR(rate.Rate(clock.Now(), 5), AdaptiveRate::kMinRate, 1e-3);
}

TEST(AdaptiveRateTest, AnswersToCallsSentBeforeTheCutDoNotCutAgain) {
  FakeClock clock(TimePoint{});
  AdaptiveRate rate;
  const TimePoint burst_sent = clock.Now();
  clock.SleepFor(milliseconds(50));
  ASSERT_TRUE(rate.OnThrottle(burst_sent, clock.Now(), 10));
  // Seven more throttled answers of the same burst: one overload, one cut.
  for (int i = 0; i < 7; ++i) EXPECT_FALSE(rate.OnThrottle(burst_sent, clock.Now(), 10)) << i;
  EXPECT_NEAR(rate.Rate(clock.Now(), 10), 7, 1e-9);
  // A call sent after the cut that is throttled too: the new rate was still too high.
  const TimePoint later = clock.Now();
  clock.SleepFor(milliseconds(10));
  const double before = rate.Rate(clock.Now(), 10);
  EXPECT_TRUE(rate.OnThrottle(later, clock.Now(), 10));
  EXPECT_NEAR(rate.Rate(clock.Now(), 10), before * 0.7, 1e-9);
}

TEST(AdaptiveRateTest, CeilingBelowTheFloorIsKept) {
  FakeClock clock(TimePoint{});
  AdaptiveRate rate;
  ASSERT_TRUE(rate.OnThrottle(clock.Now(), clock.Now(), 0.3));  // CreateVpcEndpoint refills at 0.3/s
  EXPECT_LE(rate.Rate(clock.Now(), 0.3), 0.3);
}

}  // namespace
}  // namespace cordon::aws
