// Amazon EC2's request token buckets: which bucket an EC2 call draws from and how big it is.
//
// From "Request throttling for the Amazon EC2 API"
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html, "Request token bucket
// sizes and refill rates"): EC2 throttles each account and region per API action ("Limits are applied
// to individual API actions, not API action categories"), with a bucket whose size and refill rate
// come from the action's category:
//   non-mutating (Describe*, List*, Search*, Get*)            100 tokens, 20 a second
//   unfiltered and unpaginated non-mutating (7 named actions)  50 tokens, 10 a second, a bucket of
//       its own, used when the call names neither a filter nor pagination
//   mutating (everything else)                                  50 tokens,  5 a second
//   resource-intensive (9 named mutating actions)               50 tokens,  5 a second
//   uncategorized actions: their own numbers (CreateTags 100/10, CreateSnapshots 100/5, ...)
// cordon keeps the uncategorized actions it calls, or may call, in a table; the others fall in their
// category by name. The resource token buckets (RunInstances, StartInstances, StopInstances,
// TerminateInstances count instances, not requests) are not modelled: cordon never launches or
// stops instances in bulk.
#pragma once

#include <string>
#include <string_view>

#include "aws/retry/rate_limiter.h"
#include "base/json.h"

namespace cordon::aws {

enum class Ec2ActionCategory {
  kNonMutating,
  kUnfilteredNonMutating,
  kMutating,
  kResourceIntensive,
  kUncategorized
};

std::string_view Ec2ActionCategoryName(Ec2ActionCategory category);

struct Ec2Bucket {
  std::string name;  // the bucket's own name: the action, "DescribeInstances/unfiltered" for the small one
  Ec2ActionCategory category = Ec2ActionCategory::kMutating;
  RateLimit limit;  // per_second = the refill rate, burst = the bucket's maximum capacity
};

// The bucket an EC2 call of `action` with boto3-shaped `input` draws from. Never fails: an action
// the documentation does not name is classified by its name's prefix.
Ec2Bucket Ec2RequestBucket(std::string_view action, const Json& input);

}  // namespace cordon::aws
