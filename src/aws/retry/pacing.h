// Which client-side bucket an AWS call is paced by, and at what rate: the service's documented token
// buckets where AWS documents them, a flat default where it does not, or the user's --max-rate.
//
//   ec2          one bucket per action, sized by the action's category (ec2_buckets.h)
//   elb, elbv2   "Request throttling for the ELB API"
//                (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html):
//                each API version has its own buckets; Describe* 40 tokens refilled at 10 a second.
//                The page's numbers for mutating actions are not in the text we could read: cordon
//                paces them at 5 a second with bursts of 10, and the adaptive slow-down corrects a
//                guess that is too high.
//   others       (Auto Scaling, IAM, STS, SSM, S3, ...) the client's default, 20 a second with bursts
//                of 40: IAM's quotas page ("IAM and AWS STS quotas") gives no request rate, and Auto
//                Scaling's API reference says only that it throttles per account and region.
//
// --max-rate N replaces all of it with one bucket per service of N calls a second and a burst of
// one call: calls to a service are spaced at least 1/N s apart, so no window of a second holds more
// than N of them. Per service rather than per bucket, because that is what a responder can reason
// about ("never more than 10 EC2 calls a second from this run") and what a shared account's
// owners ask for; EC2's per-action buckets would let 10 actions go at N each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/retry/rate_limiter.h"
#include "base/json.h"

namespace cordon::aws {

struct Pace {
  std::string bucket;  // the service's own bucket name: "ec2/CreateTags", "elbv2/describe", "iam"
  RateLimit limit;
};

// `fallback` is the limit of services without documented buckets; `max_rate` the --max-rate value
// (> 0) or nullopt.
Pace PaceFor(std::string_view service, std::string_view operation, const Json& input, RateLimit fallback,
             std::optional<double> max_rate);

}  // namespace cordon::aws
