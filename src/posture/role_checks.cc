#include "posture/role_checks.h"

#include "posture/admin_policy.h"

namespace cordon::posture {
namespace {

// The default version's document of a customer managed policy.
Result<Json> ManagedDocument(RegionScan& scan, const std::string& arn) {
  auto policy = scan.Call("iam", "GetPolicy", Json{{"PolicyArn", arn}});
  if (!policy) return MakeError(policy.error());
  auto version =
      scan.Call("iam", "GetPolicyVersion",
                Json{{"PolicyArn", arn}, {"VersionId", Str(Obj(*policy, "Policy"), "DefaultVersionId")}});
  if (!version) return MakeError(version.error());
  return Obj(*version, "PolicyVersion").value("Document", Json());
}

}  // namespace

std::vector<RoleChecker::AdminGrant> RoleChecker::Judge(RegionScan& scan, const std::string& profile_arn) {
  std::vector<AdminGrant> grants;
  // arn:aws:iam::123456789012:instance-profile/path/name: the name is the last segment.
  std::string name = profile_arn.substr(profile_arn.rfind('/') + 1);
  auto profile = scan.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", name}});
  if (!profile) {
    scan.NotAssessed("role.admin", "instance profile " + name + ": " + profile.error().ToString());
    return grants;
  }
  for (const Json& r : Arr(Obj(*profile, "InstanceProfile"), "Roles")) {
    std::string role = Str(r, "RoleName");
    auto attached = scan.CallAll("iam", "ListAttachedRolePolicies", Json{{"RoleName", role}});
    if (!attached) scan.NotAssessed("role.admin", "role " + role + ": " + attached.error().ToString());
    for (const Json& a : attached ? Arr(*attached, "AttachedPolicies") : Json::array()) {
      std::string arn = Str(a, "PolicyArn");
      std::string reason;
      if (IsAdministratorAccessArn(arn)) {
        reason = "AWS managed AdministratorAccess";
      } else if (arn.find(":iam::aws:policy/") == std::string::npos) {
        auto doc = ManagedDocument(scan, arn);
        if (!doc) scan.NotAssessed("role.admin", "policy " + arn + ": " + doc.error().ToString());
        if (doc) reason = AdminLikeReason(*doc);
      }
      if (!reason.empty())
        grants.push_back(
            {role, arn, reason, "aws iam detach-role-policy --role-name " + role + " --policy-arn " + arn});
    }
    auto names = scan.CallAll("iam", "ListRolePolicies", Json{{"RoleName", role}});
    if (!names) scan.NotAssessed("role.admin", "role " + role + ": " + names.error().ToString());
    for (const Json& n : names ? Arr(*names, "PolicyNames") : Json::array()) {
      if (!n.is_string()) continue;
      std::string policy = n.get<std::string>();
      auto doc = scan.Call("iam", "GetRolePolicy", Json{{"RoleName", role}, {"PolicyName", policy}});
      if (!doc) {
        scan.NotAssessed("role.admin",
                         "inline policy " + policy + " of " + role + ": " + doc.error().ToString());
        continue;
      }
      if (std::string reason = AdminLikeReason(doc->value("PolicyDocument", Json())); !reason.empty())
        grants.push_back(
            {role, "inline:" + policy, reason,
             "aws iam delete-role-policy --role-name " + role + " --policy-name " + ShellQuote(policy)});
    }
  }
  return grants;
}

void RoleChecker::Check(RegionScan& scan, const std::string& profile_arn, const std::string& instance_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = profiles_.find(profile_arn);
    if (it != profiles_.end()) {
      it->second.instances.push_back(instance_id);
      return;
    }
    profiles_[profile_arn].instances.push_back(instance_id);
  }
  // Judged outside the lock: another region's instance with the same profile only adds its id.
  std::vector<AdminGrant> grants = Judge(scan, profile_arn);
  std::lock_guard<std::mutex> lock(mu_);
  profiles_[profile_arn].grants = std::move(grants);
}

void RoleChecker::Report(RegionScan& scan) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [arn, p] : profiles_) {
    for (const AdminGrant& g : p.grants) {
      Finding f;
      f.check = "role.admin";
      f.severity = Severity::kCritical;
      f.region = "global";
      f.evidence = {g.role, g.policy, arn};
      f.evidence.insert(f.evidence.end(), p.instances.begin(), p.instances.end());
      f.title = "role " + g.role + " (instance profile of " + std::to_string(p.instances.size()) +
                " instance(s)) has an administrator-like policy " + g.policy + ": " + g.reason;
      f.details = {{"role", g.role},
                   {"policy", g.policy},
                   {"instance_profile", arn},
                   {"instances", p.instances},
                   {"reason", g.reason}};
      f.fix = g.fix;
      scan.Add(std::move(f));
    }
  }
}

}  // namespace cordon::posture
