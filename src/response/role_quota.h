// The preflight of the credentials step (issue 13): before the first change of a run, whether every
// role the run's targets use stays within IAM's inline policy quota once the case's deny
// (role_deny.h) names them all. A run that would exceed it changes nothing: PutRolePolicy would
// fail with LimitExceeded in the middle of the fleet, the instances after it keeping their
// credentials while the ones before are already cut off.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "cloud/target.h"
#include "response/options.h"

namespace cordon::response {

// One role as the run would leave it.
struct RoleQuotaUse {
  std::string role;
  std::vector<std::string> instance_ids;  // the run's targets running with it
  size_t other_policies = 0;              // IAM-counted size of its inline policies but the case's deny
  size_t deny_now = 0;                    // of the case's deny as it is (0: none yet)
  size_t deny_after = 0;                  // of the case's deny with every target of the run in it
  size_t fits = 0;                        // how many of instance_ids the quota leaves room for

  size_t total_after() const { return other_policies + deny_after; }
};

// An instance profile as the preflight read it: GetInstanceProfile's InstanceProfile, and its role's
// ListRolePolicies names (absent when the profile has no role). The fleet read of the same run takes
// them instead of reading them again (fleet_state.h says why that is safe).
struct ProfileRead {
  Json instance_profile;
  std::optional<Json> policy_names;
};
using ProfileReads = std::map<std::string, ProfileRead>;  // by instance profile name

// Reads (never changes) each target's instance profile association, each profile's role, and each
// role's inline policies. Targets without a profile or role are left out. Fills `*read` (when not
// null) with the profiles it read.
Result<std::vector<RoleQuotaUse>> MeasureRoleQuotas(aws::Client& client,
                                                    const std::vector<cloud::ResolvedTarget>& targets,
                                                    const ResponseOptions& options,
                                                    ProfileReads* read = nullptr);

// The error for a role over kRoleInlinePolicyQuota: the role, the sizes, the quota and what to do.
Error RoleQuotaError(const RoleQuotaUse& use, const std::string& case_id);

// MeasureRoleQuotas, then kConflict (RoleQuotaError) for the first role over the quota.
Status CheckRoleQuotas(aws::Client& client, const std::vector<cloud::ResolvedTarget>& targets,
                       const ResponseOptions& options, ProfileReads* read = nullptr);

}  // namespace cordon::response
