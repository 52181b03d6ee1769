#include "response/isolation_groups.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "base/strings.h"
#include "response/group_rules.h"
#include "response/live_state.h"
#include "response/memory/ssm_endpoints.h"

namespace cordon::response {
namespace {

// Targets of one run that share a VPC must not race to create the same group.
std::mutex ensure_mu;

Result<std::string> FindGroup(const StepContext& ctx, const std::string& name, const std::string& vpc_id) {
  Json input = {{"Filters", Json::array({Json{{"Name", "group-name"}, {"Values", {name}}},
                                         Json{{"Name", "vpc-id"}, {"Values", {vpc_id}}}})}};
  auto out = ctx.Call("ec2", "DescribeSecurityGroups", input);
  if (!out) return MakeError(out.error());
  for (const Json& g : out->value("SecurityGroups", Json::array()))
    if (Str(g, "GroupName") == name) return Str(g, "GroupId");
  return std::string();
}

Result<std::string> EnsureGroup(const StepContext& ctx, const std::string& name, const std::string& vpc_id,
                                const std::string& purpose, const std::string& description,
                                const std::string& case_id = "") {
  auto found = FindGroup(ctx, name, vpc_id);
  if (!found) return MakeError(found.error());
  if (!found->empty()) return *found;
  Json tags = Json::array({Json{{"Key", "cordon:managed"}, {"Value", "true"}},
                           Json{{"Key", "cordon:purpose"}, {"Value", purpose}},
                           Json{{"Key", "Name"}, {"Value", name}}});
  if (!case_id.empty()) tags.push_back(Json{{"Key", "cordon:case"}, {"Value", case_id}});
  auto out = ctx.Call(
      "ec2", "CreateSecurityGroup",
      Json{{"GroupName", name},
           {"Description", description},
           {"VpcId", vpc_id},
           {"TagSpecifications", Json::array({Json{{"ResourceType", "security-group"}, {"Tags", tags}}})}});
  std::string id;
  if (out) {
    id = Str(*out, "GroupId");
  } else {
    // Another cordon process made it first, or this call's first attempt did and its answer was
    // lost (the client's retry then finds the group): either way it is the group of that name, and
    // tagged below, as the first attempt's TagSpecifications may not have been applied.
    if (!IsDuplicate(out.error())) return MakeError(out.error());
    auto made = FindGroup(ctx, name, vpc_id);
    if (!made) return MakeError(made.error());
    id = *made;
  }
  // Older APIs (and moto) may drop TagSpecifications on CreateSecurityGroup: tag explicitly too.
  auto t = ctx.Call("ec2", "CreateTags", Json{{"Resources", {id}}, {"Tags", tags}});
  if (!t) return MakeError(t.error());
  return id;
}

// The description of a single rule from SingleRules ("" when it has none).
std::string RuleDescription(const Json& rule) {
  for (const char* list : {"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"})
    if (rule.contains(list) && !rule[list].empty()) return Str(rule[list][0], "Description");
  return "";
}

// What older versions added to the shared isolation group for --allow-from (the leak this migrates).
constexpr char kAllowFromDescription[] = "cordon --allow-from";

// The ingress rule one --allow-from source gets: all protocols from a CIDR or a group.
Json AllowPermission(const std::string& source) {
  Json perm = {{"IpProtocol", "-1"}};
  if (StartsWith(source, "sg-"))
    perm["UserIdGroupPairs"] =
        Json::array({Json{{"GroupId", source}, {"Description", kAllowFromDescription}}});
  else if (source.find(':') != std::string::npos)
    perm["Ipv6Ranges"] = Json::array({Json{{"CidrIpv6", source}, {"Description", kAllowFromDescription}}});
  else
    perm["IpRanges"] = Json::array({Json{{"CidrIp", source}, {"Description", kAllowFromDescription}}});
  return perm;
}

std::set<std::string> AllowKeys(const std::vector<std::string>& allow_from) {
  std::set<std::string> keys;
  for (const std::string& source : allow_from)
    for (const auto& [key, rule] : SingleRules(AllowPermission(source))) keys.insert(key);
  return keys;
}

}  // namespace

Result<IsolationGroups> FindIsolationGroups(const StepContext& ctx, const std::string& vpc_id) {
  IsolationGroups g;
  auto u = FindGroup(ctx, "cordon-untrack-" + vpc_id, vpc_id);
  if (!u) return MakeError(u.error());
  auto i = FindGroup(ctx, "cordon-isolation-" + vpc_id, vpc_id);
  if (!i) return MakeError(i.error());
  g.untrack_id = *u;
  g.isolation_id = *i;
  return g;
}

Result<IsolationGroups> EnsureIsolationGroups(const StepContext& ctx, const std::string& vpc_id) {
  std::lock_guard<std::mutex> lock(ensure_mu);
  IsolationGroups g;
  auto u = EnsureGroup(ctx, "cordon-untrack-" + vpc_id, vpc_id, "untrack",
                       "cordon: all traffic allowed, so flows become untracked before isolation");
  if (!u) return MakeError(u.error());
  g.untrack_id = *u;
  auto i = EnsureGroup(ctx, "cordon-isolation-" + vpc_id, vpc_id, "isolation",
                       "cordon: network isolation of a contained instance");
  if (!i) return MakeError(i.error());
  g.isolation_id = *i;

  Json all_v4 =
      Json::array({Json{{"IpProtocol", "-1"}, {"IpRanges", Json::array({Json{{"CidrIp", "0.0.0.0/0"}}})}}});
  Json all_v6 =
      Json::array({Json{{"IpProtocol", "-1"}, {"Ipv6Ranges", Json::array({Json{{"CidrIpv6", "::/0"}}})}}});
  for (const Json& perm : {all_v4, all_v6}) {
    if (auto s = IgnoreDuplicate(ctx.Call("ec2", "AuthorizeSecurityGroupIngress",
                                          Json{{"GroupId", g.untrack_id}, {"IpPermissions", perm}}));
        !s)
      return MakeError(s.error());
  }
  if (auto s = IgnoreDuplicate(ctx.Call("ec2", "AuthorizeSecurityGroupEgress",
                                        Json{{"GroupId", g.untrack_id}, {"IpPermissions", all_v6}}));
      !s)
    return MakeError(s.error());

  // The isolation group: no egress at all (the default rule, and the SSM exception older versions
  // added here; a capture's egress is in the ssm-reach group), and none of the --allow-from ingress
  // older versions added here (it reached every contained instance of the VPC; now it is in the
  // case's allow group). Other ingress is someone else's and is left for the drift report.
  auto sg = DescribeGroup(ctx, g.isolation_id);
  if (!sg) return MakeError(sg.error());
  Json egress = sg->value("IpPermissionsEgress", Json::array());
  if (!egress.empty()) {
    // Revoke exactly what is there: the described rules have the shape the revoke takes.
    auto r = ctx.Call("ec2", "RevokeSecurityGroupEgress",
                      Json{{"GroupId", g.isolation_id}, {"IpPermissions", egress}});
    if (!r && r.error().code.find("NotFound") == std::string::npos) return MakeError(r.error());
  }
  for (const Json& perm : sg->value("IpPermissions", Json::array()))
    for (const auto& [key, rule] : SingleRules(perm))
      if (RuleDescription(rule) == kAllowFromDescription)
        if (auto s = Revoke(ctx, "RevokeSecurityGroupIngress", g.isolation_id, rule); !s)
          return MakeError(s.error());
  return g;
}

Result<bool> IsolationGroupClean(const StepContext& ctx, const std::string& isolation_id) {
  auto sg = DescribeGroup(ctx, isolation_id);
  if (!sg) return MakeError(sg.error());
  if (!sg->value("IpPermissionsEgress", Json::array()).empty()) return false;
  for (const Json& perm : sg->value("IpPermissions", Json::array()))
    for (const auto& [key, rule] : SingleRules(perm))
      if (RuleDescription(rule) == kAllowFromDescription) return false;
  return true;
}

std::string AllowGroupName(const std::string& case_id, const std::string& vpc_id) {
  return "cordon-allow-" + case_id + "-" + vpc_id;
}

Result<std::string> FindAllowGroup(const StepContext& ctx, const std::string& case_id,
                                   const std::string& vpc_id) {
  return FindGroup(ctx, AllowGroupName(case_id, vpc_id), vpc_id);
}

Result<std::string> EnsureAllowGroup(const StepContext& ctx, const std::string& case_id,
                                     const std::string& vpc_id, const std::vector<std::string>& allow_from) {
  std::lock_guard<std::mutex> lock(ensure_mu);
  auto id = EnsureGroup(ctx, AllowGroupName(case_id, vpc_id), vpc_id, "allow-from",
                        "cordon: --allow-from access to the contained instances of case " + case_id, case_id);
  if (!id) return MakeError(id.error());
  // The wanted rules first, then everything else goes: the default egress rule of a new group, and
  // sources an earlier run of the case allowed but this one does not.
  for (const std::string& source : allow_from) {
    if (auto s = IgnoreDuplicate(
            ctx.Call("ec2", "AuthorizeSecurityGroupIngress",
                     Json{{"GroupId", *id}, {"IpPermissions", Json::array({AllowPermission(source)})}}));
        !s)
      return MakeError(s.error());
  }
  const std::set<std::string> wanted = AllowKeys(allow_from);
  auto sg = DescribeGroup(ctx, *id);
  if (!sg) return MakeError(sg.error());
  for (const Json& perm : sg->value("IpPermissionsEgress", Json::array()))
    for (const auto& [key, rule] : SingleRules(perm))
      if (auto s = Revoke(ctx, "RevokeSecurityGroupEgress", *id, rule); !s) return MakeError(s.error());
  for (const Json& perm : sg->value("IpPermissions", Json::array()))
    for (const auto& [key, rule] : SingleRules(perm))
      if (wanted.count(key) == 0)
        if (auto s = Revoke(ctx, "RevokeSecurityGroupIngress", *id, rule); !s) return MakeError(s.error());
  return *id;
}

Result<bool> AllowGroupMatches(const StepContext& ctx, const std::string& group_id,
                               const std::vector<std::string>& allow_from) {
  auto sg = DescribeGroup(ctx, group_id);
  if (!sg) return MakeError(sg.error());
  if (!sg->value("IpPermissionsEgress", Json::array()).empty()) return false;
  std::set<std::string> have;
  for (const Json& perm : sg->value("IpPermissions", Json::array()))
    for (const auto& [key, rule] : SingleRules(perm)) have.insert(key);
  return have == AllowKeys(allow_from);
}

Result<std::string> DeleteGroupIfUnused(const StepContext& ctx, const std::string& group_id) {
  auto enis = ctx.Call("ec2", "DescribeNetworkInterfaces", Filters("group-id", {group_id}));
  if (!enis) return MakeError(enis.error());
  const Json users = enis->value("NetworkInterfaces", Json::array());
  if (!users.empty()) return "kept (still used by " + Str(users[0], "NetworkInterfaceId") + ")";
  auto r = ctx.Call("ec2", "DeleteSecurityGroup", Json{{"GroupId", group_id}});
  if (r) return std::string("deleted");
  if (r.error().code == "DependencyViolation") return std::string("kept (still in use)");
  if (r.error().code == "InvalidGroup.NotFound") return std::string("already gone");
  return MakeError(r.error());
}

bool IsCordonIsolated(const std::vector<std::string>& groups, const std::string& isolation_id,
                      const std::string& allow_id) {
  if (isolation_id.empty()) return false;
  std::vector<std::string> want = {isolation_id};
  if (!allow_id.empty()) want.push_back(allow_id);
  std::vector<std::string> have = groups;
  std::sort(want.begin(), want.end());
  std::sort(have.begin(), have.end());
  return have == want;
}

std::string CaseIdOf(const StepContext& ctx) {
  if (ctx.options != nullptr && !ctx.options->case_id.empty()) return ctx.options->case_id;
  return ctx.store != nullptr ? ctx.store->id() : "";
}

std::string SsmReachGroupName(const std::string& vpc_id) { return "cordon-ssm-reach-" + vpc_id; }

Result<std::string> EnsureSsmReachGroup(const StepContext& ctx, const SsmReach& reach) {
  std::lock_guard<std::mutex> lock(ensure_mu);
  auto id = EnsureGroup(ctx, SsmReachGroupName(reach.vpc_id), reach.vpc_id, "ssm-reach",
                        "cordon: HTTPS to the VPC's SSM and S3 endpoints only, during a memory capture");
  if (!id) return MakeError(id.error());
  if (auto s = AllowSsmEgress(ctx, *id, reach); !s) return MakeError(s.error());
  std::set<std::string> wanted;
  for (const Json& perm : reach.EgressPermissions())
    for (const auto& [key, rule] : SingleRules(perm)) wanted.insert(key);
  // Everything else goes: the default all-egress rule of a new group, endpoints since deleted.
  auto groups = ctx.Call("ec2", "DescribeSecurityGroups", Json{{"GroupIds", {*id}}});
  if (!groups) return MakeError(groups.error());
  for (const Json& sg : groups->value("SecurityGroups", Json::array())) {
    for (const Json& perm : sg.value("IpPermissionsEgress", Json::array())) {
      for (const auto& [key, rule] : SingleRules(perm)) {
        if (wanted.count(key) != 0) continue;
        auto r = ctx.Call("ec2", "RevokeSecurityGroupEgress",
                          Json{{"GroupId", *id}, {"IpPermissions", Json::array({rule})}});
        if (!r && r.error().code.find("NotFound") == std::string::npos) return MakeError(r.error());
      }
    }
  }
  return *id;
}

std::vector<std::string> GroupIdsWithoutSsmReach(const Json& eni) {
  const std::string reach = SsmReachGroupName(Str(eni, "VpcId"));
  std::vector<std::string> ids;
  for (const Json& g : eni.value("Groups", Json::array()))
    if (Str(g, "GroupName") != reach) ids.push_back(Str(g, "GroupId"));
  return ids;
}

}  // namespace cordon::response
