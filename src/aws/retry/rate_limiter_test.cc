#include "aws/retry/rate_limiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterTest, BurstGoesAtOnceThenOneEveryInterval) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock, RateLimit{.per_second = 20, .burst = 40});
  for (int i = 0; i < 40; ++i) limiter.Acquire("123456789012/us-east-1/ec2");
  EXPECT_EQ(clock.slept(), milliseconds(0));
  for (int i = 0; i < 60; ++i) {
    TimePoint before = clock.Now();
    limiter.Acquire("123456789012/us-east-1/ec2");
    EXPECT_EQ(clock.Now() - before, milliseconds(50)) << i;
  }
  EXPECT_EQ(clock.slept(), milliseconds(3000));
}

TEST(RateLimiterTest, IdleTimeRefillsUpToTheBurstOnly) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock, RateLimit{.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Reserve("k"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("k"), milliseconds(100));
  clock.SleepFor(milliseconds(60000));  // a long idle spell refills 5 tokens, not 600
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Reserve("k"), milliseconds(0)) << i;
  EXPECT_EQ(limiter.Reserve("k"), milliseconds(100));
  clock.SleepFor(milliseconds(250));  // 2.5 tokens back, one of them already promised
  EXPECT_EQ(limiter.Reserve("k"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("k"), milliseconds(50));
}

TEST(RateLimiterTest, KeysAreIndependentAndConfigurable) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock, RateLimit{.per_second = 1, .burst = 1});
  limiter.SetLimit("a/us-east-1/ec2", RateLimit{.per_second = 4, .burst = 2});
  EXPECT_EQ(limiter.Reserve("a/us-east-1/ec2"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("a/us-east-1/ec2"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("a/us-east-1/ec2"), milliseconds(250));
  EXPECT_EQ(limiter.Reserve("a/eu-west-1/ec2"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("a/eu-west-1/ec2"), milliseconds(1000));
  EXPECT_EQ(limiter.Reserve("a/us-east-1/s3"), milliseconds(0));

  limiter.SetLimit("unlimited", RateLimit::Unlimited());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.Reserve("unlimited"), milliseconds(0));

  limiter.SetDefaultLimit(RateLimit::Unlimited());
  for (int i = 0; i < 100; ++i) ASSERT_EQ(limiter.Reserve("a/us-west-2/iam"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("a/us-east-1/ec2"), milliseconds(500));  // own limit kept
}

TEST(RateLimiterTest, DefaultIsTwentyASecondWithBurstsOfForty) {
  EXPECT_EQ(kDefaultRateLimit.per_second, 20);
  EXPECT_EQ(kDefaultRateLimit.burst, 40);
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock);
  for (int i = 0; i < 40; ++i) ASSERT_EQ(limiter.Reserve("k"), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("k"), milliseconds(50));
}

TEST(RateLimiterTest, ConcurrentAcquirersGetDistinctEvenlySpacedSlots) {
  FakeClock clock(TimePoint{});  // does not move: every wait is measured from the same instant
  RateLimiter limiter(&clock, RateLimit{.per_second = 100, .burst = 10});
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<int64_t>> waits(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) waits[t].push_back(limiter.Reserve("shared").count());
    });
  }
  for (auto& t : threads) t.join();
  std::vector<int64_t> all;
  for (auto& w : waits) all.insert(all.end(), w.begin(), w.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads) * kEach);
  // 10 go at once, then one every 10 ms: 10, 20, ..., 1900.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(all[i], 0) << i;
  for (int i = 10; i < kThreads * kEach; ++i) EXPECT_EQ(all[i], (i - 9) * 10) << i;
}

TEST(RateLimiterTest, ConcurrentAcquireWithRealClockKeepsTheRate) {
  // 4 threads x 10 calls at 200/s with a burst of 5: the last 35 calls need at least 175 ms.
  RateLimiter limiter(SystemClock::Default(), RateLimit{.per_second = 200, .burst = 5});
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) limiter.Acquire("k");
    });
  }
  for (auto& t : threads) t.join();
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(170));
  EXPECT_LT(elapsed, milliseconds(2000));
}

}  // namespace
}  // namespace cordon::aws

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterAdaptiveTest, ThrottleSlowsTheKeyAndDropsTheBurstThenRecovers) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock);
  const RateLimit mutating{5, 50};  // EC2's mutating bucket
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(limiter.Reserve("us-east-1/ec2/ModifyInstanceAttribute", mutating), milliseconds(0));
  EXPECT_EQ(limiter.Reserve("us-east-1/ec2/ModifyInstanceAttribute", mutating), milliseconds(200));
  clock.SleepFor(milliseconds(60000));  // idle: the burst of 50 is back

  ASSERT_TRUE(limiter.OnThrottled("us-east-1/ec2/ModifyInstanceAttribute", clock.Now()));
  EXPECT_NEAR(limiter.CurrentRate("us-east-1/ec2/ModifyInstanceAttribute"), 3.5, 1e-9);
  // No burst of 50 now, a second's worth (3.5): three calls at once, the fourth half an interval
  // (1 / 3.5 s / 2 = 143 ms) later.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(limiter.Reserve("us-east-1/ec2/ModifyInstanceAttribute", mutating), milliseconds(0)) << i;
  EXPECT_EQ(limiter.Reserve("us-east-1/ec2/ModifyInstanceAttribute", mutating), milliseconds(143));
  // Other keys are untouched.
  EXPECT_EQ(limiter.CurrentRate("us-east-1/ec2/CreateTags"), 20);  // never used: the default's rate
  for (int i = 0; i < 40; ++i)
    ASSERT_EQ(limiter.Reserve("us-east-1/ec2/CreateTags", {10, 100}), milliseconds(0));

  // Recovery: back to 5 a second within K = cbrt(5 * 0.3 / 0.4) = 1.55 s, and the burst returns.
  clock.SleepFor(milliseconds(1600));
  EXPECT_DOUBLE_EQ(limiter.CurrentRate("us-east-1/ec2/ModifyInstanceAttribute"), 5);
  clock.SleepFor(milliseconds(20000));
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(limiter.Reserve("us-east-1/ec2/ModifyInstanceAttribute", mutating), milliseconds(0)) << i;
}

TEST(RateLimiterAdaptiveTest, PacedCallsAfterAThrottleGoAtTheCutRate) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock);
  const RateLimit describe{20, 100};
  limiter.Acquire("k", describe);
  ASSERT_TRUE(limiter.OnThrottled("k", clock.Now()));
  // 40 calls right after the cut. Uncut, the bucket of 100 would let them all go at once. Cut to 14
  // a second (rising again), the burst is 14: the rest take longer than at 20 a second
  // ((40 - 15) / 20 = 1.25 s) and less than at 14 a second with no burst at all (40 / 14 = 2.86 s).
  const TimePoint start = clock.Now();
  for (int i = 0; i < 40; ++i) limiter.Acquire("k", describe);
  const auto took = clock.Now() - start;
  EXPECT_GT(took, milliseconds(1250));
  EXPECT_LT(took, milliseconds(2860));
}

TEST(RateLimiterAdaptiveTest, UnlimitedKeysAreNeverSlowed) {
  FakeClock clock(TimePoint{});
  RateLimiter limiter(&clock, RateLimit::Unlimited());
  limiter.Acquire("k");
  EXPECT_FALSE(limiter.OnThrottled("k", clock.Now()));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(limiter.Reserve("k"), milliseconds(0));
}

}  // namespace
}  // namespace cordon::aws
