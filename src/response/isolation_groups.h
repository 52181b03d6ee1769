// cordon's own security groups, never used by anything but contained instances:
//   cordon-untrack-<vpc>        all traffic in and out allowed: moving an ENI here makes its existing
//                               connections untracked, so the next swap really cuts them;
//   cordon-isolation-<vpc>      no rules at all. Shared by every contained instance of the VPC, so
//                               it must never carry one case's exceptions (older versions put
//                               --allow-from ingress here; EnsureIsolationGroups revokes it);
//   cordon-allow-<case>-<vpc>   no egress, ingress exactly the case's --allow-from sources. Only the
//                               ENIs of that case's instances carry it, next to the isolation group,
//                               and release deletes it once no ENI uses it;
//   cordon-ssm-reach-<vpc>      no ingress, egress only tcp/443 to the VPC's SSM and S3 endpoints
//                               (ssm_endpoints.h, DESIGN.md rule 7). Only a memory capture after
//                               isolation uses it: on the capturing instance's primary ENI, next to the
//                               isolation (and allow) group, while its command runs
//                               (steps/capture_memory.cc). No other contained instance gets that egress.
// All are tagged cordon:managed=true and cordon:purpose=untrack|isolation|allow-from|ssm-reach; the
// allow group also cordon:case=<case>.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/memory/ssm_endpoints.h"
#include "response/step.h"

namespace cordon::response {

struct IsolationGroups {
  std::string untrack_id;
  std::string isolation_id;
};

// The group ids when both exist, without creating anything ("" for a missing one).
Result<IsolationGroups> FindIsolationGroups(const StepContext& ctx, const std::string& vpc_id);

// Finds or creates both groups and makes their rules what they must be (idempotent; safe when
// several targets in the same VPC do it at once). The isolation group loses every egress rule and
// the ingress older versions added for --allow-from.
Result<IsolationGroups> EnsureIsolationGroups(const StepContext& ctx, const std::string& vpc_id);

// Whether the isolation group already is what EnsureIsolationGroups makes it (no egress, no
// --allow-from ingress): the idempotency probe, so that a rerun after an upgrade cleans it.
Result<bool> IsolationGroupClean(const StepContext& ctx, const std::string& isolation_id);

// "cordon-allow-<case>-<vpc>". A case id is 1-64 of [A-Za-z0-9_.-] (evidence::ValidateCaseId), so
// the name stays far below the 255-character limit and uses only characters a VPC group allows.
std::string AllowGroupName(const std::string& case_id, const std::string& vpc_id);

// The case's allow group in vpc_id, "" when there is none; creates nothing.
Result<std::string> FindAllowGroup(const StepContext& ctx, const std::string& case_id,
                                   const std::string& vpc_id);

// Finds or creates the case's allow group and makes its rules exactly: no egress, and ingress of
// all protocols from each of `allow_from` (IPv4 CIDR, IPv6 CIDR or sg-id). Returns its id.
Result<std::string> EnsureAllowGroup(const StepContext& ctx, const std::string& case_id,
                                     const std::string& vpc_id, const std::vector<std::string>& allow_from);

// Whether the allow group's rules already are what EnsureAllowGroup makes them.
Result<bool> AllowGroupMatches(const StepContext& ctx, const std::string& group_id,
                               const std::vector<std::string>& allow_from);

// Deletes a cordon group (the allow group, or a VPC's shared ones at cleanup) when no ENI uses it any more.
// Returns what happened, for the step detail: "deleted", "kept (still used by eni-...)", "already gone". A
// group AWS still sees in use (DependencyViolation) is kept, not an error.
Result<std::string> DeleteGroupIfUnused(const StepContext& ctx, const std::string& group_id);

// Whether an ENI's groups (without ssm-reach) are exactly [isolation] when `allow_id` is empty, else
// exactly [isolation, allow], in any order.
bool IsCordonIsolated(const std::vector<std::string>& groups, const std::string& isolation_id,
                      const std::string& allow_id);

// The case id of a step: the one given on the command line, else the case folder's.
std::string CaseIdOf(const StepContext& ctx);

// "cordon-ssm-reach-<vpc>".
std::string SsmReachGroupName(const std::string& vpc_id);

// Finds or creates the ssm-reach group of reach.vpc_id and makes its egress exactly
// reach.EgressPermissions() (the missing rules are added before the others are revoked, so a
// capture already using the group keeps its path). Returns the group id.
Result<std::string> EnsureSsmReachGroup(const StepContext& ctx, const SsmReach& reach);

// The group ids of a DescribeNetworkInterfaces ENI, in order, leaving out its VPC's ssm-reach
// group: an ENI in [isolation, (allow,) ssm-reach] is isolated with a capture running, not changed
// by someone else (isolate-network's idempotency check, release's drift check).
std::vector<std::string> GroupIdsWithoutSsmReach(const Json& eni);

}  // namespace cordon::response
