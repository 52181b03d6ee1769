// Client-side rate limiting per key.
//
// Each key's token bucket is kept in the equivalent "generic cell rate algorithm" form: instead of a
// token count refilled on every call, one time point, `full_at`, the time at which the bucket would
// be full again if no more calls came. With interval T = 1/rate and a bucket of B tokens, a call at
// `now` may go at max(full_at, now) - (B-1)*T, and pushes full_at on by T. It allows B calls at once
// and then one every T, as a token bucket does, and hands each caller its own slot, so concurrent
// waiters never wake up to race for the same token.
#include "aws/retry/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cordon::aws {

RateLimiter::RateLimiter(Clock* clock, RateLimit default_limit)
    : clock_(clock), default_limit_(default_limit) {}

void RateLimiter::SetLimit(std::string_view key, RateLimit limit) {
  std::lock_guard<std::mutex> lock(mu_);
  BucketFor(key).own_limit = limit;
}

void RateLimiter::SetDefaultLimit(RateLimit limit) {
  std::lock_guard<std::mutex> lock(mu_);
  default_limit_ = limit;
}

RateLimiter::Bucket& RateLimiter::BucketFor(std::string_view key) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(std::string(key), Bucket{}).first;
  return it->second;
}

std::chrono::milliseconds RateLimiter::Reserve(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  return ReserveIn(BucketFor(key), default_limit_);
}

std::chrono::milliseconds RateLimiter::Reserve(std::string_view key, RateLimit limit) {
  std::lock_guard<std::mutex> lock(mu_);
  return ReserveIn(BucketFor(key), limit);
}

std::chrono::milliseconds RateLimiter::ReserveIn(Bucket& bucket, RateLimit fallback) {
  using std::chrono::nanoseconds;
  RateLimit limit = bucket.own_limit.value_or(fallback);
  bucket.last_limit = limit;
  if (limit.per_second <= 0) return std::chrono::milliseconds(0);

  const TimePoint now = clock_->Now();
  const double rate = bucket.adaptive.Rate(now, limit.per_second);
  // Recovering from a throttle: no bursts beyond a second's worth, as botocore's adaptive bucket
  // (its capacity follows the fill rate), or the saved-up burst would overrun the service again.
  const double burst = rate < limit.per_second ? std::min(limit.burst, std::max(1.0, rate)) : limit.burst;
  const double interval_ns = 1e9 / rate;
  const auto interval = nanoseconds(std::max<int64_t>(1, std::llround(interval_ns)));
  const auto tolerance = nanoseconds(std::llround((std::max(burst, 1.0) - 1.0) * interval_ns));
  const TimePoint start = std::max(bucket.full_at, now);
  bucket.full_at = start + interval;
  const TimePoint allowed_at = start - tolerance;
  if (allowed_at <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(allowed_at - now);
}

void RateLimiter::Acquire(std::string_view key) {
  std::chrono::milliseconds wait = Reserve(key);
  if (wait.count() > 0) clock_->SleepFor(wait);
}

void RateLimiter::Acquire(std::string_view key, RateLimit limit) {
  std::chrono::milliseconds wait = Reserve(key, limit);
  if (wait.count() > 0) clock_->SleepFor(wait);
}

bool RateLimiter::OnThrottled(std::string_view key, TimePoint sent_at) {
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& bucket = BucketFor(key);
  const RateLimit limit = bucket.own_limit.value_or(bucket.last_limit);
  if (limit.per_second <= 0) return false;
  return bucket.adaptive.OnThrottle(sent_at, clock_->Now(), limit.per_second);
}

double RateLimiter::CurrentRate(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& bucket = BucketFor(key);
  const RateLimit limit = bucket.own_limit.value_or(bucket.last_limit);
  if (limit.per_second <= 0) return limit.per_second;
  return bucket.adaptive.Rate(clock_->Now(), limit.per_second);
}

}  // namespace cordon::aws
