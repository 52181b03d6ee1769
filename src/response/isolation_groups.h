// cordon's own security groups, per VPC, never used by anything else:
//   cordon-untrack-<vpc>    all traffic in and out allowed: moving an ENI here makes its existing
//                           connections untracked, so the next swap really cuts them;
//   cordon-isolation-<vpc>  no egress at all, and ingress only from --allow-from sources;
//   cordon-ssm-reach-<vpc>  no ingress, egress only tcp/443 to the VPC's SSM and S3 endpoints
//                           (ssm_endpoints.h, DESIGN.md rule 7). Only a memory capture after
//                           isolation uses it: on the capturing instance's primary ENI, next to the
//                           isolation group, while its command runs (steps/capture_memory.cc). No
//                           other contained instance gets that egress.
// All are tagged cordon:managed=true and cordon:purpose=untrack|isolation|ssm-reach.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/ssm_endpoints.h"
#include "response/step.h"

namespace cordon::response {

struct IsolationGroups {
  std::string untrack_id;
  std::string isolation_id;
};

// The group ids when both exist, without creating anything ("" for a missing one).
Result<IsolationGroups> FindIsolationGroups(const StepContext& ctx, const std::string& vpc_id);

// Finds or creates both groups and makes their rules what they must be (idempotent; safe when
// several targets in the same VPC do it at once). `allow_from` adds ingress to the isolation group.
Result<IsolationGroups> EnsureIsolationGroups(const StepContext& ctx, const std::string& vpc_id,
                                              const std::vector<std::string>& allow_from);

// "cordon-ssm-reach-<vpc>".
std::string SsmReachGroupName(const std::string& vpc_id);

// Finds or creates the ssm-reach group of reach.vpc_id and makes its egress exactly
// reach.EgressPermissions() (the missing rules are added before the others are revoked, so a
// capture already using the group keeps its path). Returns the group id.
Result<std::string> EnsureSsmReachGroup(const StepContext& ctx, const SsmReach& reach);

// The group ids of a DescribeNetworkInterfaces ENI, in order, leaving out its VPC's ssm-reach
// group: an ENI in [isolation, ssm-reach] is isolated with a capture running, not changed by
// someone else (isolate-network's idempotency check, release's drift check).
std::vector<std::string> GroupIdsWithoutSsmReach(const Json& eni);

}  // namespace cordon::response
