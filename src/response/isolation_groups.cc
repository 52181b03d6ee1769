#include "response/isolation_groups.h"

#include <mutex>
#include <set>

#include "base/strings.h"
#include "response/live_state.h"
#include "response/ssm_endpoints.h"

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

bool IsDuplicate(const Error& e) { return e.code.find("Duplicate") != std::string::npos; }

Result<std::string> EnsureGroup(const StepContext& ctx, const std::string& name, const std::string& vpc_id,
                                const std::string& purpose, const std::string& description) {
  auto found = FindGroup(ctx, name, vpc_id);
  if (!found) return MakeError(found.error());
  if (!found->empty()) return *found;
  Json tags = Json::array({Json{{"Key", "cordon:managed"}, {"Value", "true"}},
                           Json{{"Key", "cordon:purpose"}, {"Value", purpose}},
                           Json{{"Key", "Name"}, {"Value", name}}});
  auto out = ctx.Call(
      "ec2", "CreateSecurityGroup",
      Json{{"GroupName", name},
           {"Description", description},
           {"VpcId", vpc_id},
           {"TagSpecifications", Json::array({Json{{"ResourceType", "security-group"}, {"Tags", tags}}})}});
  if (!out) {
    if (!IsDuplicate(out.error())) return MakeError(out.error());
    return FindGroup(ctx, name, vpc_id);  // another cordon process made it first
  }
  std::string id = Str(*out, "GroupId");
  // Older APIs (and moto) may drop TagSpecifications on CreateSecurityGroup: tag explicitly too.
  auto t = ctx.Call("ec2", "CreateTags", Json{{"Resources", {id}}, {"Tags", tags}});
  if (!t) return MakeError(t.error());
  return id;
}

Status IgnoreDuplicate(const Result<Json>& r) {
  if (r || IsDuplicate(r.error())) return Ok();
  return MakeError(r.error());
}

// A described permission split into one permission per address range, prefix list or group, each
// with its key: the rule without descriptions, to compare with the wanted ones.
std::vector<std::pair<std::string, Json>> SingleRules(const Json& perm) {
  std::vector<std::pair<std::string, Json>> out;
  Json base = {{"IpProtocol", perm.value("IpProtocol", "-1")}};
  for (const char* port : {"FromPort", "ToPort"})
    if (perm.contains(port)) base[port] = perm[port];
  for (const char* list : {"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"}) {
    for (const Json& item : perm.value(list, Json::array())) {
      Json one = base, bare = item;
      one[list] = Json::array({item});
      bare.erase("Description");
      Json key = base;
      key[list] = Json::array({bare});
      out.emplace_back(key.dump(), one);
    }
  }
  return out;
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

Result<IsolationGroups> EnsureIsolationGroups(const StepContext& ctx, const std::string& vpc_id,
                                              const std::vector<std::string>& allow_from) {
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

  // The isolation group: no egress at all (revoke the default rule, and the SSM exception older
  // versions added here), no ingress but --allow-from. A capture's egress is in the ssm-reach group.
  auto groups = ctx.Call("ec2", "DescribeSecurityGroups", Json{{"GroupIds", {g.isolation_id}}});
  if (!groups) return MakeError(groups.error());
  for (const Json& sg : groups->value("SecurityGroups", Json::array())) {
    Json egress = sg.value("IpPermissionsEgress", Json::array());
    if (egress.empty()) continue;
    // Revoke exactly what is there: the described rules have the shape the revoke takes.
    Json perms = egress;
    auto r = ctx.Call("ec2", "RevokeSecurityGroupEgress",
                      Json{{"GroupId", g.isolation_id}, {"IpPermissions", perms}});
    if (!r && r.error().code.find("NotFound") == std::string::npos) return MakeError(r.error());
  }
  for (const std::string& source : allow_from) {
    Json perm = {{"IpProtocol", "-1"}};
    if (StartsWith(source, "sg-"))
      perm["UserIdGroupPairs"] =
          Json::array({Json{{"GroupId", source}, {"Description", "cordon --allow-from"}}});
    else if (source.find(':') != std::string::npos)
      perm["Ipv6Ranges"] = Json::array({Json{{"CidrIpv6", source}, {"Description", "cordon --allow-from"}}});
    else
      perm["IpRanges"] = Json::array({Json{{"CidrIp", source}, {"Description", "cordon --allow-from"}}});
    if (auto s = IgnoreDuplicate(
            ctx.Call("ec2", "AuthorizeSecurityGroupIngress",
                     Json{{"GroupId", g.isolation_id}, {"IpPermissions", Json::array({perm})}}));
        !s)
      return MakeError(s.error());
  }
  return g;
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
