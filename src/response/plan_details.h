// What a contain plan will change on one instance, read from its live state: the concrete plan that
// `contain --plan` prints (each ENI with the groups it moves from and to, the Elastic IPs, the Auto
// Scaling group and load balancers by name, the role and the deny policy, the volumes), with every step
// that has nothing to do marked as a no-op, so a change ticket names exactly what will happen.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/json.h"
#include "cloud/instance_inventory.h"
#include "response/options.h"
#include "response/plan.h"

namespace cordon::response {

struct StepDetail {
  std::string step;
  bool no_op = false;  // nothing to change on this instance (the step still runs and records so)
  std::vector<std::string> changes;  // one line per thing changed, or the reason for the no-op
};

// The instances that share the target's role through the same instance profile: what
// --revoke-role-sessions also cuts. Read by the caller (one DescribeInstances) and passed in.
struct RoleSharers {
  std::string error;  // the lookup failed: said in the plan, not hidden
  std::vector<std::string> instance_ids;
};

// The instances other than the target associated with the target's instance profile, sorted.
RoleSharers FindRoleSharers(aws::Client& client, const cloud::InstanceInventory& inventory);

// One StepDetail per step of `plan`, in order. A part of the inventory that could not be read makes
// its step's lines say so ("unknown: ...") rather than claim a no-op.
std::vector<StepDetail> DescribeContainPlan(const Plan& plan, const cloud::InstanceInventory& inventory,
                                            const ResponseOptions& options, const RoleSharers& sharers);

// The plan as text: FormatPlan's numbered steps (the case named where the table says <CASE>), each
// followed by its concrete lines.
std::string FormatConcretePlan(const Plan& plan, const std::vector<StepDetail>& details,
                               const std::string& case_id);

// {"instance", "region", "vpc", "state", "case", "steps": [{"step", "summary", "after", "destructive",
// "no_op", "changes"}]}: the same plan for a change ticket (`--plan --output json`).
Json ConcretePlanToJson(const Plan& plan, const std::vector<StepDetail>& details, const std::string& case_id);

}  // namespace cordon::response
