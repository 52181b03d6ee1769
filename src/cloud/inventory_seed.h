// CollectInventory with parts already read: for a whole fleet at once (response/fleet_state.h), so the
// inventory of each instance reads only what the fleet read did not.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cloud/instance_inventory.h"

namespace cordon::cloud {

// Parts of an inventory already read, in the shapes the API returns them. Each part that is set is
// taken instead of its calls.
struct InventorySeed {
  std::optional<Json> instance;                // the DescribeInstances Instance
  std::optional<Json> network_interfaces;      // NetworkInterfaces attached to it
  std::optional<Json> addresses;               // Addresses on those ENIs
  std::optional<Json> auto_scaling_instances;  // AutoScalingInstances of the instance
  std::optional<Json> load_balancers;          // the region's LoadBalancerDescriptions
  std::optional<Json> target_groups;           // the region's TargetGroups
  std::map<std::string, Json> target_health;   // TargetHealthDescriptions by target group ARN
  std::optional<Json> iam_associations;        // IamInstanceProfileAssociations of the instance
  std::optional<Json> volumes;                 // Volumes attached to the instance
  // {"disableApiTermination": Value, "instanceInitiatedShutdownBehavior": Value}
  std::optional<Json> attributes;
  // What a fleet reads once for all of its instances, each the answer for this instance's own value:
  std::optional<Json> instance_types;       // InstanceTypes of its type (DescribeInstanceTypes)
  std::optional<Json> images;               // Images of its AMI (empty: deregistered or not visible)
  std::optional<Json> auto_scaling_groups;  // AutoScalingGroups of its group (DescribeAutoScalingGroups)
  std::optional<Json> security_groups;      // SecurityGroups of its ENIs' groups (DescribeSecurityGroups)
  std::optional<Json> ssm_information;      // its InstanceInformationList (empty: not managed)
  // Its instance profile: {"InstanceProfileName", "InstanceProfile" (GetInstanceProfile), and for its
  // role "AttachedPolicies" (ListAttachedRolePolicies) and "PolicyNames" (ListRolePolicies)}. Taken
  // only for the profile of that name.
  std::optional<Json> instance_profile;
};

// CollectInventory (instance_inventory.h), taking the parts `seed` holds.
Result<InstanceInventory> CollectInventory(aws::Client& client, const ResolvedTarget& target,
                                           const InventorySeed& seed);

}  // namespace cordon::cloud
