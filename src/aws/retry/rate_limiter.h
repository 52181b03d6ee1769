// Client-side rate limiting per key (a client's "region/service/bucket"), so that a fleet response
// running many calls at once stays under the service's own throttling instead of provoking it, and
// slows down further when the service throttles it anyway (adaptive_rate.h).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/retry/adaptive_rate.h"
#include "base/time.h"

namespace cordon::aws {

// A token bucket: up to `burst` calls at once, refilled at `per_second` calls a second.
// per_second <= 0 means unlimited.
struct RateLimit {
  double per_second = 20;
  double burst = 40;

  static RateLimit Unlimited() { return {0, 0}; }
};

// The default for a key nobody gave a limit: 20 calls a second, bursts of 40, what cordon uses for
// services whose rate AWS does not document (pacing.h has the ones it does).
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
  // The same with `limit` for a key that has no SetLimit of its own (instead of the default).
  void Acquire(std::string_view key, RateLimit limit);

  // Takes the next slot for `key` without waiting, and returns how long the caller must wait before
  // using it (zero when it may go ahead now). A slot taken is never given back: callers that do not
  // wait still count against the limit.
  std::chrono::milliseconds Reserve(std::string_view key);
  std::chrono::milliseconds Reserve(std::string_view key, RateLimit limit);

  // The service throttled a call on `key` that was sent at `sent_at`: the key's rate is cut and then
  // recovers (AdaptiveRate). Returns whether it was cut (not for an unlimited key, nor for a call sent
  // before the last cut). While recovering, bursts are at most one second's worth of calls.
  bool OnThrottled(std::string_view key, TimePoint sent_at);

  // The rate `key` is paced at now, calls a second (<= 0: unlimited).
  double CurrentRate(std::string_view key);

 private:
  // The bucket is kept as a "theoretical arrival time" (the GCRA form of a token bucket): the time
  // at which the bucket would be full again. Integer time, so spacing is exact.
  struct Bucket {
    std::optional<RateLimit> own_limit;
    RateLimit last_limit;  // the limit of the last Reserve, the ceiling of the adaptive rate
    TimePoint full_at{};
    AdaptiveRate adaptive;
  };
  Bucket& BucketFor(std::string_view key);                               // requires mu_
  std::chrono::milliseconds ReserveIn(Bucket& bucket, RateLimit limit);  // requires mu_

  Clock* const clock_;
  std::mutex mu_;
  RateLimit default_limit_;                             // guarded by mu_
  std::map<std::string, Bucket, std::less<>> buckets_;  // guarded by mu_
};

}  // namespace cordon::aws
