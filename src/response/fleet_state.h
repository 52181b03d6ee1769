// The state of a contain run's targets, read once for the whole fleet before the first step, and what
// the run makes once for all of them (the VPCs' isolation groups). Issue 13, "A fleet at the speed AWS
// allows": per region one DescribeInstances for every id, one DescribeNetworkInterfaces, one
// DescribeAddresses, one DescribeIamInstanceProfileAssociations and one DescribeVolumes (filters of
// up to kIdsPerCall values), DescribeAutoScalingInstances by 50 ids, the classic ELBs and target
// groups once with each group's health once; and per instance the two attributes protect changes
// (DescribeInstanceAttribute takes one instance and one attribute). Then, for what the inventory of
// record-pre-state (cloud::CollectInventory) read per instance, once for the fleet's distinct values:
// DescribeInstanceTypes of its types, DescribeImages of its AMIs, DescribeAutoScalingGroups of its
// groups, DescribeSecurityGroups of its ENIs' groups, ssm DescribeInstanceInformation by 50 ids, and
// per instance profile GetInstanceProfile, with its role's ListAttachedRolePolicies and
// ListRolePolicies. No step of contain changes any of these but the role's inline policies (the
// credentials step adds the case's deny) and the group (asg detaches): read before the first step,
// they are the pre-state the inventory records, where a per-instance read could already see a
// sibling's deny on the shared role or the group after a sibling's detach.
//
// Who may use it, and why that is safe: the read is made in this run, after the claims and right
// before the first step, so for a step whose Observe reads only what no earlier step of the plan
// changes (protect's attributes: only protect sets them) it is the live state the step would read,
// seconds older. Each use says so where it is (steps/*.cc, pre_state_collector.cc; the snapshot
// step takes the instance type's, the credentials step the profile's role: no step changes them). Reads that
// are idempotency probes under concurrency stay live: the role's deny (shared by every target of the role),
// the snapshots of a set, the ENIs right before isolation (an ENI attached meanwhile is cut too), the load
// balancers after Auto Scaling's detach (which deregisters from the group's), the tags after the tag write (a
// claim written meanwhile); the deny and the snapshots are probed only once a run of their step began on the
// case (steps/credentials.cc, steps/snapshot.cc say why). A part whose read failed is absent, and the steps
// then read it themselves, as without a fleet read.
//
// The instance profiles, and their roles' inline policy names, that contain's role-quota preflight read
// a moment before the claims (role_quota.h) are taken from it, not read again: which role a profile
// holds no step changes, and the role's inline policies only the credentials step does, after this
// read. The profile associations are read again: the credentials step takes them as live state (it
// disassociates what it finds), so they are read after the claims like the rest, not before the
// responder's confirmation. The preflight cannot take this read instead: it must refuse before the
// claims, which come before this read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/json.h"
#include "cloud/inventory_seed.h"
#include "cloud/target.h"
#include "evidence/case_store.h"
#include "response/isolation_groups.h"
#include "response/role_quota.h"
#include "response/step.h"

namespace cordon::response {

// One target as the fleet read found it, in the shapes the API returns (absent: not read).
struct TargetState {
  std::optional<Json> instance;          // the DescribeInstances Instance
  std::optional<Json> enis;              // its attached ENIs, by device index
  std::optional<Json> addresses;         // the Elastic IPs on those ENIs
  std::optional<Json> auto_scaling;      // its AutoScalingInstances list (empty: in no group)
  std::optional<Json> iam_associations;  // its IamInstanceProfileAssociations
  std::optional<Json> volumes;           // the volumes attached to it
  std::optional<Json>
      attributes;  // {"disableApiTermination": Value, "instanceInitiatedShutdownBehavior": ...}
  // {"classic": [names], "target_groups": [...]}, as FindLoadBalancerMemberships returns it.
  std::optional<Json> load_balancers;
  // Read once for the fleet's distinct values, kept here as this target's (cloud::InventorySeed
  // says what each holds): its type, AMI, Auto Scaling group, ENIs' security groups, SSM
  // registration and instance profile with its role's policy lists.
  std::optional<Json> instance_types, images, auto_scaling_groups, security_groups, ssm_information,
      instance_profile;
};

class FleetState {
 public:
  // Reads the state of `targets` with `client` (each target in its region), the parts concurrently.
  // Never fails: a part that cannot be read is left absent for the targets it covers. The instance
  // profiles in `profiles_read` (the role-quota preflight's of this run, role_quota.h; may be null)
  // are taken from it, with their roles' inline policy names, instead of read again.
  static std::unique_ptr<FleetState> Read(aws::Client& client,
                                          const std::vector<cloud::ResolvedTarget>& targets,
                                          const ProfileReads* profiles_read = nullptr);

  // The target's state, or null when the fleet read does not cover it.
  const TargetState* Find(const std::string& instance_id) const;

  // What the fleet read already holds of a target's inventory (cloud::CollectInventory then reads
  // only the rest).
  cloud::InventorySeed SeedFor(const std::string& instance_id) const;

  // EnsureIsolationGroups once per VPC for the whole run: the first target of a VPC finds or creates
  // the groups and sets their rules; the others of the run take the ids (cordon's own groups, made
  // a moment before in this run). A failure is not kept: the next caller tries again.
  Result<IsolationGroups> EnsureIsolationGroupsOnce(const StepContext& ctx, const std::string& vpc_id);

 private:
  std::map<std::string, TargetState> targets_;
  // Region-wide reads the inventory seeds take (classic ELBs, target groups and their health).
  struct RegionLbs {
    std::optional<Json> classic, target_groups;
    std::map<std::string, Json> health;  // TargetHealthDescriptions by group ARN
  };
  std::map<std::string, RegionLbs> lbs_;          // by region
  std::map<std::string, std::string> region_of_;  // instance id -> region
  std::mutex groups_mu_;
  std::map<std::string, IsolationGroups> groups_;  // "<region>/<vpc>" -> ensured this run
};

// The fleet read of the run ctx belongs to (StepContext::fleet, which contain's executor sets), or null.
FleetState* FleetOf(const StepContext& ctx);
// The target's state in it, or null (no fleet read, or it did not find the target).
const TargetState* FleetTarget(const StepContext& ctx);

}  // namespace cordon::response
