// The SDKs' "standard" retry mode. See retry_strategy.h for the rules and where they come from.
#include "aws/retry/retry_strategy.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace cordon::aws {
namespace {

RetryOptions Normalized(RetryOptions options) {
  options.max_attempts = std::max(options.max_attempts, 1);
  return options;
}

}  // namespace

bool MayHaveActed(const Error& error) {
  return error.kind == ErrorKind::kTransient || error.kind == ErrorKind::kNetwork;
}

StandardRetryStrategy::StandardRetryStrategy(RetryOptions options)
    : options_(Normalized(std::move(options))),
      rng_(options_.seed ? *options_.seed : std::random_device{}()) {}

bool StandardRetryStrategy::ShouldRetry(const Error& error, int attempts_made) const {
  return error.IsRetryable() && attempts_made < options_.max_attempts;
}

std::chrono::milliseconds StandardRetryStrategy::DelayBeforeNextRetry(const Error& error, int attempts_made) {
  double r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    r = options_.random ? options_.random() : std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  r = std::clamp(r, 0.0, 1.0);
  // The exponent is clamped so that 2^exponent cannot overflow; by then the cap applies anyway.
  int exponent = std::clamp(attempts_made - 1, 0, 62);
  double max_ms = static_cast<double>(options_.max_backoff.count());
  double ceiling_ms =
      std::min(max_ms, static_cast<double>(options_.base_delay.count()) * std::ldexp(1.0, exponent));
  return std::chrono::milliseconds(static_cast<int64_t>(r * ceiling_ms));
}

int StandardRetryStrategy::RetryCost(const Error& error) const {
  return error.kind == ErrorKind::kNetwork ? options_.network_retry_cost : options_.retry_cost;
}

int& StandardRetryStrategy::QuotaOf(std::string_view partition) {
  auto it = quotas_.find(partition);
  if (it == quotas_.end()) it = quotas_.emplace(std::string(partition), options_.initial_quota).first;
  return it->second;
}

bool StandardRetryStrategy::AcquireRetryToken(const Error& error, std::string_view partition) {
  int cost = RetryCost(error);
  std::lock_guard<std::mutex> lock(mu_);
  int& quota = QuotaOf(partition);
  if (quota < cost) return false;
  quota -= cost;
  return true;
}

void StandardRetryStrategy::OnSuccess(const Error* last_retried_error, std::string_view partition) {
  int refund = last_retried_error ? RetryCost(*last_retried_error) : options_.no_retry_refund;
  std::lock_guard<std::mutex> lock(mu_);
  int& quota = QuotaOf(partition);
  quota = std::min(options_.initial_quota, quota + refund);
}

int StandardRetryStrategy::quota(std::string_view partition) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = quotas_.find(partition);
  return it == quotas_.end() ? options_.initial_quota : it->second;
}

}  // namespace cordon::aws
