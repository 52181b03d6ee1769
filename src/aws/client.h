// The AWS client: Call(service, operation, input) for any embedded operation, with endpoint
// resolution, SigV4, retries (standard mode), client-side rate limiting, pagination, waiters and an
// audit hook that sees every call.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "aws/http/http.h"
#include "aws/model/service_model.h"
#include "aws/retry/rate_limiter.h"
#include "aws/retry/retry_strategy.h"
#include "base/error.h"
#include "base/json.h"
#include "base/time.h"

namespace cordon::aws {

struct ClientOptions {
  std::string region;
  // Endpoint override for a service (--endpoint-url, AWS_ENDPOINT_URL[_<SERVICE>], the profile's
  // endpoint_url): a URL, or empty for the standard endpoint. Unset: no overrides.
  std::function<Result<std::string>(const ServiceModel& service)> endpoint_for;
  RetryOptions retry;
  // Client-side pacing (retry/pacing.h): EC2 and ELB by their documented token buckets, other
  // services at `rate_limit`. RateLimit::Unlimited() turns all client-side pacing off (unit tests,
  // benches). `max_rate` (--max-rate, > 0) replaces the buckets with one per service at that many
  // calls a second. Either way, a throttled bucket slows down and recovers (retry/adaptive_rate.h).
  RateLimit rate_limit = kDefaultRateLimit;
  std::optional<double> max_rate;
  std::shared_ptr<CredentialsProvider> credentials;  // required
  std::shared_ptr<Transport> transport;              // required
  Clock* clock = SystemClock::Default();
  std::string user_agent = "cordon/0.1";
};

// One finished call, as the audit hook sees it. Holds no secrets.
struct AuditRecord {
  std::string service, operation, region;
  std::string request_id;
  std::string outcome;  // "ok", or the AWS error code / error kind
  int http_status = 0;
  int attempts = 0;
  std::chrono::milliseconds duration{0};
  std::vector<std::string> retried;  // why each retry happened, e.g. "RequestLimitExceeded"
  // Set when CallOptions::find_effect found what the last attempt did: why that attempt failed
  // ("InternalError"). The call then ends "ok" without a resend.
  std::string effect_found_after;
};

// A look for what a failed attempt did (CallOptions::find_effect): given why it failed, the result to
// finish the call with, shaped as the operation's output, when it found the attempt's effect;
// std::nullopt when there is none (the client sends again, or gives up); an error when it could not
// look (the call then fails unsent: not knowing, a resend could do it twice).
using FindEffect = std::function<Result<std::optional<Json>>(const Error& failure)>;

struct CallOptions {
  std::string region;       // overrides the client's region for this call
  std::string output_file;  // stream a streaming payload (S3 GetObject Body) to this file
  bool anonymous = false;   // send unsigned (STS AssumeRoleWithWebIdentity)
  // When set, a streaming payload (S3 GetObject Body) is moved here as raw bytes and left out of
  // the JSON output. Must outlive the call.
  std::string* payload_out = nullptr;
  // For a request that takes no client token and must not take effect twice (CreateSnapshots): the
  // look for what a failed attempt did. The client calls it after an attempt failed in a way that may
  // have acted (retry/retry_strategy.h, MayHaveActed: a 5xx, a timeout, a lost connection; not a
  // throttling answer, which is a refusal): after the retry's delay, before it sends again; and before
  // it gives up (out of attempts or quota), so that a failure it reports hides nothing made. All else
  // is the client's retry path: which errors, how many attempts, the delay (full jitter), the retry
  // quota, pacing, the audit record. Set, every attempt also goes on a connection of its own
  // (HttpRequest::fresh_connection), so that the transport cannot re-send it behind the client's back.
  FindEffect find_effect;
};

class Client {
 public:
  explicit Client(ClientOptions options);

  // Calls one operation. `input` is shaped as boto3 takes it; the result as boto3 returns it,
  // without ResponseMetadata. Thread-safe: calls may run concurrently.
  Result<Json> Call(std::string_view service, std::string_view operation, Json input,
                    const CallOptions& options = {});

  // Calls every page of a paginated operation and merges the pages as boto3's
  // paginate().build_full_result() does. Operations without a paginator make one call.
  Result<Json> CallAll(std::string_view service, std::string_view operation, Json input,
                       const CallOptions& options = {});

  // Polls a botocore waiter ("InstanceRunning", "SnapshotCompleted", ...) until it succeeds, fails
  // or runs out of attempts. `max_attempts` 0 keeps the model's value.
  Status Wait(std::string_view service, std::string_view waiter, Json input, const CallOptions& options = {},
              int max_attempts = 0);

  // Sees every finished call (successful or not). Called on the calling thread; must be thread-safe.
  void SetAuditHook(std::function<void(const AuditRecord&)> hook);

  const std::string& region() const { return options_.region; }
  const ClientOptions* options() const { return &options_; }
  Clock* clock() const { return options_.clock; }

 private:
  // A throttling answer on `limiter_key` to a call sent at `sent_at`: slow that bucket down.
  void SlowDown(const std::string& limiter_key, TimePoint sent_at);

  ClientOptions options_;
  StandardRetryStrategy retry_;
  RateLimiter limiter_;
  std::mutex hook_mu_;
  std::function<void(const AuditRecord&)> hook_;
};

}  // namespace cordon::aws
