// Which client-side bucket an AWS call is paced by, and at what rate: the service's documented token
// buckets where AWS documents them, a flat default where it does not, or the user's --max-rate.
//
//   ec2          one bucket per action, sized by the action's category (ec2_buckets.h)
//   elb, elbv2   "Request throttling for the Elastic Load Balancing API"
//                (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html,
//                section "Bucket capacity and refill rate"): each API version has its own buckets, one
//                per category of action. Three categories here:
//                  describe      Describe*: 40 tokens refilled at 10 a second (the page's own example).
//                  registration  RegisterTargets, DeregisterTargets and v1's Register/Deregister-
//                                InstancesWithLoadBalancer/FromLoadBalancer: a bucket of their own.
//                  mutating      every other action.
//                The page's table of the last two is not in the copy we could read (only the opening
//                of the page is): registration is paced at 4 a second with bursts of 20, the default
//                AWS's own Load Balancer Controller gives RegisterTargets|DeregisterTargets to stay
//                under the service's bucket (kubernetes-sigs/aws-load-balancer-controller,
//                docs/deploy/configurations.md, "Default throttle config"); other mutating actions at 5
//                a second with bursts of 10, a guess. The adaptive slow-down corrects a number too high.
//   others       (Auto Scaling, IAM, STS, SSM, S3, ...) the client's default, 20 a second with bursts
//                of 40. Neither AWS documents a request rate: IAM's quotas page ("IAM and AWS STS
//                quotas") gives none, and Auto Scaling's API reference says only that requests are
//                throttled per account and Region (its documentation has no throttling page like
//                EC2's and ELB's).
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
