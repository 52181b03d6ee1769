// Security group rules as cordon compares and changes them: one rule per source, keyed without what
// AWS adds when it describes a rule. Shared by the isolation groups and the forensics lab.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

// Whether an error says the rule or group already exists (InvalidPermission.Duplicate, ...).
bool IsDuplicate(const Error& e);
// Ok when `r` succeeded or failed only because what it adds is there already.
Status IgnoreDuplicate(const Result<Json>& r);

// A CIDR in the form AWS describes it (host bits cleared, IPv6 lowercase and compressed), so that a
// source given as 2001:DB8:0::/64 matches the rule AWS reports; anything else unchanged.
std::string CanonicalCidr(const std::string& cidr);

// A described permission split into one permission per address range, prefix list or group, each
// with its key: protocol, ports and the one source, to compare with the wanted ones. The key leaves
// out what AWS adds when it describes a rule (descriptions, a pair's UserId) and the ports of an
// all-protocols rule.
std::vector<std::pair<std::string, Json>> SingleRules(const Json& perm);

// DescribeSecurityGroups of one group: its object, or kNotFound.
Result<Json> DescribeGroup(const StepContext& ctx, const std::string& id);

// Revokes one rule with `op` (RevokeSecurityGroupIngress / RevokeSecurityGroupEgress); a rule that
// is gone already is not an error.
Status Revoke(const StepContext& ctx, const char* op, const std::string& id, const Json& rule);

}  // namespace cordon::response
