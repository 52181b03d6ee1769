// Which instance release retires when it attaches a contained instance back to its Auto Scaling group.
// Containment detached the instance without decrementing, so the group launched a replacement;
// AttachInstances raises the desired capacity by one (Auto Scaling API reference), and retiring one
// replacement with TerminateInstanceInAutoScalingGroup(ShouldDecrementDesiredCapacity) puts it back.
// A fleet of one group makes several replacements, each new to every contained instance's record,
// and release runs the targets side by side: each release must retire a different one.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace cordon::response {

struct GroupMember {
  std::string instance_id;
  std::string lifecycle_state;  // DescribeAutoScalingGroups' LifecycleState: "InService", "Pending"...
};

// The members the group launched since containment detached `released`: not in `members_before`
// (the group's members just before that detach), not `released`, not already `taken` by another
// release of this process, and in service or on the way there (a Terminating or Detaching one is
// another release's, or leaving anyway; a Standby one was put there by someone).
std::vector<std::string> ReplacementCandidates(const std::vector<GroupMember>& members,
                                               const std::vector<std::string>& members_before,
                                               const std::string& released,
                                               const std::set<std::string>& taken);

// The candidate launched first (LaunchTime as EC2 gives it, ISO 8601 in one format, so text order is
// time order; ties by id): replacements launch in the order their instances were detached, so the
// earliest one left is the one this instance's detach caused, or one just as new. Empty: none.
std::string EarliestLaunched(const std::map<std::string, std::string>& launch_time_by_id);

}  // namespace cordon::response
