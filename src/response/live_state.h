// Small readers of live AWS state shared by the steps: the instance, its ENIs, tags, addresses.
// Each returns the boto3-shaped JSON the steps journal as their "before".
#pragma once

#include <string>
#include <vector>

#include "aws/filters.h"
#include "base/error.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "response/drift.h"
#include "response/step.h"

namespace cordon::response {

// The steps build their Describe* requests with aws::Filters.
using aws::Filters;
// The value of tag `key` in a boto3 "Tags" array, or "".
std::string TagValue(const Json& tags, const std::string& key);

// A target group member for instance `id` as a recorded membership ({"arn", "target_id"?, "port"?,
// "availability_zone"?}, FindLoadBalancerMemberships) had it: for RegisterTargets / DeregisterTargets.
// target_id is the private IP an ip-type target group holds the instance by; otherwise the id is used.
Json TargetOf(const std::string& id, const Json& membership);

// DescribeInstances for the target: the Instance object. kNotFound when it no longer exists.
Result<Json> DescribeTargetInstance(const StepContext& ctx);
// The ENIs attached to the target, sorted by device index.
Result<Json> DescribeTargetEnis(const StepContext& ctx);
// "arn:<partition>:ec2:<region>:<account>:instance/<id>", the account taken from `owner_arn`
// (any ARN of the same account, e.g. the instance profile's).
std::string InstanceArn(const StepContext& ctx, const std::string& owner_arn);
// Whether an error means "that thing does not exist".
bool IsNotFoundError(const Error& e);
// Whether an error is a refusal by policy (AccessDenied, UnauthorizedOperation, ...).
bool IsAccessDeniedError(const Error& e);

// What release reads of the target once, before its drift assessment (drift.h). `gone` when the
// instance no longer exists or is terminated or shutting down. When DescribeInstances is refused,
// `instance` is null and `gone` is inferred from the ENIs (a running or stopped instance always has
// its primary ENI attached). Fails when the ENIs cannot be read, or the instance for another reason.
Result<LiveState> ReadLiveState(const StepContext& ctx);

}  // namespace cordon::response
