// cordon's own security groups, one pair per VPC, never used by anything else:
//   cordon-untrack-<vpc>    all traffic in and out allowed: moving an ENI here makes its existing
//                           connections untracked, so the next swap really cuts them;
//   cordon-isolation-<vpc>  no egress, and ingress only from --allow-from sources; with
//                           --capture-memory (after isolation), egress tcp/443 to the VPC's SSM
//                           and S3 endpoints only (ssm_endpoints.h, DESIGN.md rule 7).
// Both are tagged cordon:managed=true and cordon:purpose=untrack|isolation.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
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
// The SSM exception is journaled as a note of the target's isolate-network step.
Result<IsolationGroups> EnsureIsolationGroups(const StepContext& ctx, const std::string& vpc_id,
                                              const std::vector<std::string>& allow_from);

}  // namespace cordon::response
