// The full pre-containment state of one instance (DESIGN.md §3 rule 1), as recorded by the
// record-pre-state step and restored by `release`.
//
// The members release restores are read here with the same calls the steps observe with; the
// whole cloud::CollectInventory view (what triage shows) is recorded beside them as "inventory".
#pragma once

#include <map>
#include <string>
#include <vector>

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

// The same memberships from what was read: the region's LoadBalancerDescriptions and TargetGroups,
// each group's TargetHealthDescriptions by ARN (a group missing there was deleted while read), and
// the instance's private addresses (what an ip-type group holds it by).
Json LoadBalancerMembershipsFrom(const std::string& id, const std::vector<std::string>& addresses,
                                 const Json& classic_lbs, const Json& target_groups,
                                 const std::map<std::string, Json>& health);
// The private IPv4 addresses of DescribeNetworkInterfaces ENIs.
std::vector<std::string> PrivateAddressesOf(const Json& enis);

}  // namespace cordon::response
