// Client-side rate limiting per key ("account/region/service"), so that a fleet response running
// many calls at once stays under the service's own throttling instead of provoking it.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"

namespace cordon::aws {

// A token bucket: up to `burst` calls at once, refilled at `per_second` calls a second.
// per_second <= 0 means unlimited.
struct RateLimit {
  double per_second = 20;
  double burst = 40;

  static RateLimit Unlimited() { return {0, 0}; }
};

// The default for every key: 20 calls a second, bursts of 40. EC2 throttles each account and region
// with token buckets too; its documented "non-mutating" (Describe*) bucket refills at 20 a second
// with a capacity of 100, and its mutating-action bucket at 5 a second with 50. So 20/40 keeps reads
// clear of throttling on an otherwise quiet account, and leaves the retry strategy to absorb the
// occasional RequestLimitExceeded on writes (an incident response makes far fewer writes than reads).
// Callers tune per key with RateLimiter::SetLimit, e.g. from a --max-rate flag.
inline constexpr RateLimit kDefaultRateLimit{20, 40};

// Thread-safe. Calls on different keys never wait for one another.
class RateLimiter {
 public:
  // `clock` must outlive the limiter; a FakeClock makes Acquire() return at once, having advanced
  // the fake time by the wait.
  explicit RateLimiter(Clock* clock, RateLimit default_limit = kDefaultRateLimit);

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // The limit for one key (replacing the default for it). Calls already waiting keep their slot.
  void SetLimit(std::string_view key, RateLimit limit);
  // The limit for every key without a SetLimit of its own.
  void SetDefaultLimit(RateLimit limit);

  // Blocks (through the clock) until the call may go ahead.
  void Acquire(std::string_view key);

  // Takes the next slot for `key` without waiting, and returns how long the caller must wait before
  // using it (zero when it may go ahead now). A slot taken is never given back: callers that do not
  // wait still count against the limit.
  std::chrono::milliseconds Reserve(std::string_view key);

 private:
  // The bucket is kept as a "theoretical arrival time" (the GCRA form of a token bucket): the time
  // at which the bucket would be full again. Integer time, so spacing is exact.
  struct Bucket {
    std::optional<RateLimit> own_limit;
    TimePoint full_at{};
  };
  Bucket& BucketFor(std::string_view key);  // requires mu_

  Clock* const clock_;
  std::mutex mu_;
  RateLimit default_limit_;                             // guarded by mu_
  std::map<std::string, Bucket, std::less<>> buckets_;  // guarded by mu_
};

}  // namespace cordon::aws
