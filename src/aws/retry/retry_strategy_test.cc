#include "aws/retry/retry_strategy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;

Error ErrorOf(ErrorKind kind) { return Error{kind, "test", "", 0, ""}; }

TEST(StandardRetryStrategyTest, RetriesOnlyRetryableKinds) {
  StandardRetryStrategy strategy;
  EXPECT_TRUE(strategy.ShouldRetry(ErrorOf(ErrorKind::kThrottled), 1));
  EXPECT_TRUE(strategy.ShouldRetry(ErrorOf(ErrorKind::kTransient), 1));
  EXPECT_TRUE(strategy.ShouldRetry(ErrorOf(ErrorKind::kNetwork), 1));
  for (ErrorKind kind : {ErrorKind::kInvalidArgument, ErrorKind::kNotFound, ErrorKind::kAccessDenied,
                         ErrorKind::kService, ErrorKind::kParse, ErrorKind::kIo, ErrorKind::kConflict,
                         ErrorKind::kCancelled, ErrorKind::kInternal}) {
    EXPECT_FALSE(strategy.ShouldRetry(ErrorOf(kind), 1)) << ErrorKindName(kind);
  }
}

TEST(StandardRetryStrategyTest, StopsAtMaxAttempts) {
  StandardRetryStrategy strategy;
  EXPECT_EQ(strategy.max_attempts(), 3);
  Error e = ErrorOf(ErrorKind::kThrottled);
  EXPECT_TRUE(strategy.ShouldRetry(e, 1));
  EXPECT_TRUE(strategy.ShouldRetry(e, 2));
  EXPECT_FALSE(strategy.ShouldRetry(e, 3));
  EXPECT_FALSE(strategy.ShouldRetry(e, 4));

  StandardRetryStrategy five(RetryOptions{.max_attempts = 5});
  EXPECT_TRUE(five.ShouldRetry(e, 4));
  EXPECT_FALSE(five.ShouldRetry(e, 5));

  StandardRetryStrategy once(RetryOptions{.max_attempts = 0});  // treated as 1: never retry
  EXPECT_EQ(once.max_attempts(), 1);
  EXPECT_FALSE(once.ShouldRetry(e, 1));
}

TEST(StandardRetryStrategyTest, BackoffIsFullJitterWithinCappedExponentialBounds) {
  StandardRetryStrategy strategy(RetryOptions{.seed = 42});
  Error e = ErrorOf(ErrorKind::kThrottled);
  for (int attempts = 1; attempts <= 10; ++attempts) {
    milliseconds ceiling = std::min(milliseconds(20000), milliseconds(1000) * (1 << (attempts - 1)));
    std::set<int64_t> distinct;
    milliseconds largest{0};
    for (int i = 0; i < 2000; ++i) {
      milliseconds d = strategy.DelayBeforeNextRetry(e, attempts);
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d, ceiling) << "attempt " << attempts;
      distinct.insert(d.count());
      largest = std::max(largest, d);
    }
    EXPECT_GT(distinct.size(), 100u) << "attempt " << attempts;
    // Full jitter spreads over the whole range, not just its bottom.
    EXPECT_GT(largest, ceiling * 9 / 10) << "attempt " << attempts;
  }
}

TEST(StandardRetryStrategyTest, BackoffFollowsInjectedRandomAndBase) {
  double next = 0.5;
  StandardRetryStrategy strategy(RetryOptions{
      .base_delay = milliseconds(100), .max_backoff = milliseconds(1000), .random = [&] { return next; }});
  Error e = ErrorOf(ErrorKind::kTransient);
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 1), milliseconds(50));
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 2), milliseconds(100));
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 3), milliseconds(200));
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 5), milliseconds(500));   // 0.5 * min(1000, 1600)
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 99), milliseconds(500));  // no overflow far out
  next = 0.0;
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 3), milliseconds(0));
  next = 1.0;
  EXPECT_EQ(strategy.DelayBeforeNextRetry(e, 3), milliseconds(400));
}

TEST(StandardRetryStrategyTest, SameSeedSameDelays) {
  StandardRetryStrategy a(RetryOptions{.seed = 7});
  StandardRetryStrategy b(RetryOptions{.seed = 7});
  Error e = ErrorOf(ErrorKind::kNetwork);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.DelayBeforeNextRetry(e, 3), b.DelayBeforeNextRetry(e, 3));
}

TEST(StandardRetryStrategyTest, QuotaDrainsAndThenRefusesRetries) {
  StandardRetryStrategy strategy;
  EXPECT_EQ(strategy.quota(), 500);
  Error throttled = ErrorOf(ErrorKind::kThrottled);
  Error network = ErrorOf(ErrorKind::kNetwork);
  EXPECT_EQ(strategy.RetryCost(throttled), 5);
  EXPECT_EQ(strategy.RetryCost(network), 10);

  for (int i = 0; i < 40; ++i) ASSERT_TRUE(strategy.AcquireRetryToken(network));
  EXPECT_EQ(strategy.quota(), 100);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(strategy.AcquireRetryToken(throttled));
  EXPECT_EQ(strategy.quota(), 0);
  EXPECT_FALSE(strategy.AcquireRetryToken(throttled));
  EXPECT_EQ(strategy.quota(), 0);
}

TEST(StandardRetryStrategyTest, RefusalTakesNothing) {
  StandardRetryStrategy strategy(RetryOptions{.initial_quota = 7});
  EXPECT_FALSE(strategy.AcquireRetryToken(ErrorOf(ErrorKind::kNetwork)));  // costs 10
  EXPECT_EQ(strategy.quota(), 7);
  EXPECT_TRUE(strategy.AcquireRetryToken(ErrorOf(ErrorKind::kTransient)));  // costs 5
  EXPECT_EQ(strategy.quota(), 2);
}

TEST(StandardRetryStrategyTest, SuccessRefundsAndNeverExceedsTheCeiling) {
  StandardRetryStrategy strategy;
  Error throttled = ErrorOf(ErrorKind::kThrottled);
  Error network = ErrorOf(ErrorKind::kNetwork);
  strategy.OnSuccess(nullptr);
  EXPECT_EQ(strategy.quota(), 500);  // already full

  ASSERT_TRUE(strategy.AcquireRetryToken(network));
  ASSERT_TRUE(strategy.AcquireRetryToken(throttled));
  EXPECT_EQ(strategy.quota(), 485);
  strategy.OnSuccess(&network);  // a call that succeeded after retrying a network error
  EXPECT_EQ(strategy.quota(), 495);
  strategy.OnSuccess(nullptr);  // a call that succeeded first time
  EXPECT_EQ(strategy.quota(), 496);
  strategy.OnSuccess(&throttled);
  EXPECT_EQ(strategy.quota(), 500);  // 501 capped
}

TEST(StandardRetryStrategyTest, QuotaIsThreadSafe) {
  StandardRetryStrategy strategy(RetryOptions{.initial_quota = 1000});
  Error e = ErrorOf(ErrorKind::kThrottled);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (strategy.AcquireRetryToken(e)) ++granted;
        (void)strategy.DelayBeforeNextRetry(e, 2);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 200);  // 1000 / 5, never more
  EXPECT_EQ(strategy.quota(), 0);
}

TEST(StandardRetryStrategyTest, EachPartitionHasItsOwnQuota) {
  StandardRetryStrategy strategy(RetryOptions{.initial_quota = 10});
  const Error transient = ErrorOf(ErrorKind::kTransient);
  ASSERT_TRUE(strategy.AcquireRetryToken(transient, "us-east-1/autoscaling"));
  ASSERT_TRUE(strategy.AcquireRetryToken(transient, "us-east-1/autoscaling"));
  EXPECT_FALSE(strategy.AcquireRetryToken(transient, "us-east-1/autoscaling"));
  EXPECT_EQ(strategy.quota("us-east-1/autoscaling"), 0);
  // Another service, or the same service in another region: a full quota of its own.
  EXPECT_EQ(strategy.quota("us-east-1/ec2"), 10);
  EXPECT_TRUE(strategy.AcquireRetryToken(transient, "us-east-1/ec2"));
  EXPECT_TRUE(strategy.AcquireRetryToken(transient, "eu-west-1/autoscaling"));
  EXPECT_EQ(strategy.quota("us-east-1/ec2"), 5);
  // A success refills its own partition only.
  strategy.OnSuccess(&transient, "us-east-1/autoscaling");
  EXPECT_EQ(strategy.quota("us-east-1/autoscaling"), 5);
  EXPECT_EQ(strategy.quota("us-east-1/ec2"), 5);
}

// A 5xx, a timeout or a lost connection may have acted; a throttling answer is a refusal; what is not
// retried never reaches a resend.
TEST(StandardRetryStrategyTest, OnlyFailuresThatMayHaveActedAreLookedFor) {
  EXPECT_TRUE(MayHaveActed(ErrorOf(ErrorKind::kTransient)));
  EXPECT_TRUE(MayHaveActed(ErrorOf(ErrorKind::kNetwork)));
  EXPECT_FALSE(MayHaveActed(ErrorOf(ErrorKind::kThrottled)));
  EXPECT_FALSE(MayHaveActed(ErrorOf(ErrorKind::kAccessDenied)));
  EXPECT_FALSE(MayHaveActed(ErrorOf(ErrorKind::kInvalidArgument)));
}

}  // namespace
}  // namespace cordon::aws
