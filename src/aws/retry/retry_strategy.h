// The SDKs' "standard" retry mode: which errors to retry, how long to wait, how many tries, and a
// retry quota shared by every call of a client.
//
// The three questions come from aws-sdk-cpp's RetryStrategy (ShouldRetry,
// CalculateDelayBeforeNextRetry, GetMaxAttempts); the numbers from botocore's standard mode
// (botocore/retries/standard.py, and the SDK reference guide's "Retry behavior" page):
//   - at most 3 attempts (the first try and two retries);
//   - retry throttling, transient and network errors (Error::IsRetryable());
//   - before retry i (i = 1, 2, ...) wait random_uniform(0, 1) * base * 2^(i-1), capped at 20 s
//     ("full jitter");
//   - a retry quota of 500 tokens: a retry costs 5, or 10 after a network error or timeout; a call
//     that succeeds gives back what its last retry took, or 1 when it needed no retry. With the quota
//     spent, nothing is retried until successes refill it, so an outage does not multiply the load.
//   - one quota per client, and an SDK client talks to one service in one region (botocore builds a
//     RetryQuotaChecker per client; the Rust SDK shares a token bucket per RetryPartition, "e.g. an
//     endpoint, a region"). cordon's one Client serves every service and region, so it keeps one
//     quota per `partition` (the client passes "<region>/<service>"): an outage of one service stops
//     retries against that service, not against all of them.
//
// A call loop:
//   for (int attempts = 1;; ++attempts) {
//     Result<R> r = Attempt();
//     if (r) { strategy.OnSuccess(attempts > 1 ? &last_error : nullptr, partition); return r; }
//     if (!strategy.ShouldRetry(r.error(), attempts) || !strategy.AcquireRetryToken(r.error(), partition))
//       return r;
//     last_error = r.error();
//     clock->SleepFor(strategy.DelayBeforeNextRetry(r.error(), attempts));
//   }
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "base/error.h"

namespace cordon::aws {

struct RetryOptions {
  int max_attempts = 3;                        // total tries, the first one included; at least 1
  std::chrono::milliseconds base_delay{1000};  // the delay scale before the first retry
  std::chrono::milliseconds max_backoff{20000};

  int initial_quota = 500;  // each partition's quota starts full; also its ceiling
  int retry_cost = 5;
  int network_retry_cost = 10;  // after kNetwork errors (no response: refused, reset, timed out)
  int no_retry_refund = 1;      // given back by a call that succeeded on its first try

  // Jitter source: uniform in [0, 1). When unset, a std::mt19937_64 seeded with `seed` (or from
  // std::random_device when no seed is given) is used. Called under the strategy's lock.
  std::function<double()> random = nullptr;
  std::optional<uint64_t> seed = std::nullopt;
};

// Whether an attempt that failed with `error` may have done what it asked, so that a resend could do
// it twice: a request that takes no client token (CreateSnapshots) looks for its effect first
// (CallOptions::find_effect). The EC2 developer guide, "Ensuring idempotency in Amazon EC2 API
// requests": operations "might also time out or encounter other server issues before they complete,
// even though the request has already returned a result ... if the original request and the
// subsequent retries are successful, the operation is completed multiple times". So:
//   - may have acted: a 5xx or a timeout answer (kTransient: InternalError, Unavailable, RequestTimeout,
//     an HTML page from a load balancer), and a connection lost with no answer (kNetwork). A network
//     error before the request was sent (refused, DNS, TLS) cannot have acted, but the transport does
//     not tell it from one after, and looking costs one read where a wrong guess costs a duplicate;
//   - cannot have acted: a throttling answer (kThrottled, EC2's RequestLimitExceeded). "Request
//     throttling for the Amazon EC2 API": throttling keeps requests within the limits, a request over
//     its bucket's tokens fails ("you are throttled ... the remaining requests fail") with
//     RequestLimitExceeded: it was refused, not processed;
//   - errors that are not retried (4xx) never reach a resend.
bool MayHaveActed(const Error& error);

// Thread-safe: one strategy is shared by all the calls of a client; each partition's quota by the
// calls to that partition.
class StandardRetryStrategy {
 public:
  explicit StandardRetryStrategy(RetryOptions options = {});

  // How many attempts a call may make in all (GetMaxAttempts).
  int max_attempts() const { return options_.max_attempts; }

  // Whether a call that has made `attempts_made` attempts (>= 1), the last failing with `error`,
  // may try again: the error is retryable and attempts are left. Does not consult the quota.
  bool ShouldRetry(const Error& error, int attempts_made) const;

  // How long to wait before the next attempt: random_uniform(0, 1) * base_delay * 2^(attempts_made-1),
  // at most max_backoff. Never negative.
  std::chrono::milliseconds DelayBeforeNextRetry(const Error& error, int attempts_made);

  // Takes the cost of retrying after `error` from `partition`'s quota. Returns false, taking
  // nothing, when the quota cannot pay for it; the caller must then give up and return the error.
  bool AcquireRetryToken(const Error& error, std::string_view partition = {});

  // Reports a successful call to `partition`. `last_retried_error` is the error that caused the
  // retry that succeeded (its cost is given back), or nullptr when the first attempt succeeded
  // (gives back no_retry_refund). A quota never exceeds initial_quota.
  void OnSuccess(const Error* last_retried_error, std::string_view partition = {});

  // What retrying after `error` costs the quota.
  int RetryCost(const Error& error) const;
  // Tokens left in `partition`'s quota (initial_quota for a partition not used yet).
  int quota(std::string_view partition = {}) const;

 private:
  // The quota of `partition`, made full on first use. Called under mu_.
  int& QuotaOf(std::string_view partition);

  const RetryOptions options_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;                             // guarded by mu_; unused when options_.random is set
  std::map<std::string, int, std::less<>> quotas_;  // guarded by mu_
};

}  // namespace cordon::aws
