#include "response/role_quota.h"

#include <algorithm>
#include <map>
#include <set>

#include "aws/filters.h"
#include "base/json_fields.h"
#include "base/time.h"
#include "response/role_deny.h"

namespace cordon::response {
namespace {

// DescribeIamInstanceProfileAssociations takes up to 200 values per filter; fewer keep requests short.
constexpr size_t kIdsPerCall = 100;

// Instance id -> instance profile name, for the targets that have one.
Result<std::map<std::string, std::string>> ProfilesOf(aws::Client& client,
                                                      const std::vector<cloud::ResolvedTarget>& targets) {
  std::map<std::string, std::vector<std::string>> by_region;
  for (const cloud::ResolvedTarget& t : targets) by_region[t.region].push_back(t.instance_id);
  std::map<std::string, std::string> out;
  for (const auto& [region, ids] : by_region) {
    aws::CallOptions o;
    o.region = region;
    for (size_t at = 0; at < ids.size(); at += kIdsPerCall) {
      Json chunk(
          std::vector<std::string>(ids.begin() + at, ids.begin() + std::min(ids.size(), at + kIdsPerCall)));
      auto got = client.CallAll("ec2", "DescribeIamInstanceProfileAssociations",
                                aws::Filters("instance-id", chunk), o);
      if (!got) return MakeError(got.error());
      for (const Json& a : Arr(*got, "IamInstanceProfileAssociations")) {
        if (Str(a, "State") != "associated" && Str(a, "State") != "associating") continue;
        std::string arn = Str(Obj(a, "IamInstanceProfile"), "Arn");
        if (!arn.empty()) out[Str(a, "InstanceId")] = LastPathPart(arn);
      }
    }
  }
  return out;
}

// GetInstanceProfile's InstanceProfile.
Result<Json> ReadInstanceProfile(aws::Client& client, const std::string& profile) {
  auto p = client.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", profile}});
  if (!p) return MakeError(p.error());
  return p->value("InstanceProfile", Json::object());
}

std::string RoleOf(const Json& instance_profile) {
  const Json& roles = Arr(instance_profile, "Roles");
  return roles.empty() ? std::string() : Str(roles[0], "RoleName");
}

Result<Json> PolicyDocument(aws::Client& client, const std::string& role, const std::string& name) {
  auto got = client.Call("iam", "GetRolePolicy", Json{{"RoleName", role}, {"PolicyName", name}});
  if (!got) return MakeError(got.error());
  return got->value("PolicyDocument", Json());
}

// The size IAM counts for a document as GetRolePolicy gave it (parsed, or text when it did not parse).
size_t SizeOf(const Json& doc) {
  return doc.is_string() ? IamPolicySize(doc.get<std::string>()) : IamDocumentSize(doc);
}

// Fills in the sizes of `use` from the role's inline policies, and `*names` with their names.
Status Measure(aws::Client& client, const std::string& case_id, const std::string& revoke_before,
               RoleQuotaUse* use, Json* names_read) {
  const std::string deny_name = DenyPolicyName(case_id);
  auto names = client.CallAll("iam", "ListRolePolicies", Json{{"RoleName", use->role}});
  if (!names) return MakeError(names.error());
  *names_read = names->value("PolicyNames", Json::array());
  Json deny;  // null: the case has no deny on the role yet
  for (const Json& n : *names_read) {
    if (!n.is_string()) continue;
    auto doc = PolicyDocument(client, use->role, n.get<std::string>());
    if (!doc) return MakeError(doc.error());
    if (n == deny_name)
      deny = *doc;
    else
      use->other_policies += SizeOf(*doc);
  }
  use->deny_now = deny.is_null() ? 0 : SizeOf(deny);
  std::vector<std::string> entries;
  for (const std::string& id : use->instance_ids) entries.push_back(DenyEntry(id));
  use->deny_after = IamDocumentSize(MergeDeny(deny, entries, revoke_before));
  // How many of the run's instances fit, in order (as many as the quota leaves room for).
  use->fits = 0;
  for (size_t k = 1; k <= entries.size(); ++k) {
    std::vector<std::string> first(entries.begin(), entries.begin() + k);
    if (use->other_policies + IamDocumentSize(MergeDeny(deny, first, revoke_before)) > kRoleInlinePolicyQuota)
      break;
    use->fits = k;
  }
  return Ok();
}

}  // namespace

Result<std::vector<RoleQuotaUse>> MeasureRoleQuotas(aws::Client& client,
                                                    const std::vector<cloud::ResolvedTarget>& targets,
                                                    const ResponseOptions& options, ProfileReads* read) {
  auto profiles = ProfilesOf(client, targets);
  if (!profiles) return MakeError(profiles.error());
  ProfileReads read_here;
  std::map<std::string, RoleQuotaUse> by_role;
  for (const cloud::ResolvedTarget& t : targets) {
    auto p = profiles->find(t.instance_id);
    if (p == profiles->end()) continue;
    if (!read_here.count(p->second)) {
      auto profile = ReadInstanceProfile(client, p->second);
      if (!profile) return MakeError(profile.error());
      read_here[p->second].instance_profile = *profile;
    }
    const std::string role = RoleOf(read_here[p->second].instance_profile);
    if (role.empty()) continue;
    by_role[role].role = role;
    by_role[role].instance_ids.push_back(t.instance_id);
  }
  // A revoke statement holds a time of this length; which time does not change the size.
  const std::string revoke = options.revoke_role_sessions ? FormatIso8601(client.clock()->Now()) : "";
  std::vector<RoleQuotaUse> out;
  for (auto& [role, use] : by_role) {
    Json names;
    if (auto s = Measure(client, options.case_id, revoke, &use, &names); !s)
      return WithContext(s.error(), "reading the inline policies of role " + role);
    for (auto& [name, profile] : read_here)
      if (RoleOf(profile.instance_profile) == role) profile.policy_names = names;
    out.push_back(std::move(use));
  }
  if (read != nullptr) *read = std::move(read_here);
  return out;
}

Error RoleQuotaError(const RoleQuotaUse& use, const std::string& case_id) {
  const std::string deny = DenyPolicyName(case_id);
  std::string message =
      "role " + use.role + " would hold " + std::to_string(use.total_after()) +
      " characters of inline policies (counted without whitespace, as IAM does): " +
      std::to_string(use.other_policies) + " in its other inline policies and " +
      std::to_string(use.deny_after) + " in " + deny + " once it names the " +
      std::to_string(use.instance_ids.size()) + " instance(s) of this run that use the role. IAM's quota " +
      "\"Role policy size\" is " + std::to_string(kRoleInlinePolicyQuota) +
      " characters for all of a role's inline policies together "
      "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so nothing was "
      "changed. Contain at most " +
      std::to_string(use.fits) + " of these instances under case " + case_id +
      ", or first make room on role " + use.role +
      ": move its other inline policies into a managed policy (the quota counts inline policies "
      "only). --quarantine-profile does not lift this: the deny on the role is what cuts off the "
      "credentials already issued to the instances.";
  return Error{ErrorKind::kConflict, message};
}

Status CheckRoleQuotas(aws::Client& client, const std::vector<cloud::ResolvedTarget>& targets,
                       const ResponseOptions& options, ProfileReads* read) {
  auto uses = MeasureRoleQuotas(client, targets, options, read);
  if (!uses) return MakeError(uses.error());
  for (const RoleQuotaUse& use : *uses)
    if (use.total_after() > kRoleInlinePolicyQuota) return MakeError(RoleQuotaError(use, options.case_id));
  return Ok();
}

}  // namespace cordon::response
