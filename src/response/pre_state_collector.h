// The full pre-containment state of one instance (DESIGN.md §3 rule 1), as recorded by the
// record-pre-state step and restored by `release`.
//
// The members release restores are read here with the same calls the steps observe with; the
// whole cloud::CollectInventory view (what triage shows) is recorded beside them as "inventory".
#pragma once

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

// {"instance": <DescribeInstances Instance>, "attributes": {"DisableApiTermination",
// "InstanceInitiatedShutdownBehavior"},
//  "network_interfaces": [...], "addresses": [...], "auto_scaling": <AutoScalingInstanceDetails|null>,
//  "classic_load_balancers": [names], "target_groups": [{"arn", "port"}],
//  "iam_instance_profile_association": <assoc|null>, "inventory": <cloud::ToJson>, "collected_by": ...}
// Fails only when the instance itself cannot be read; a part that cannot be read is
// {"error": "..."} in place.
Result<Json> CollectPreState(const StepContext& ctx);

// The classic ELBs (names) and target groups ({"arn","port"}) the target is registered in.
// Targets draining or unused count as not registered.
Result<Json> FindLoadBalancerMemberships(const StepContext& ctx);

}  // namespace cordon::response
