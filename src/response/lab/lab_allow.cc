// lab allow: the workstation may reach the suspect (the runbook's authorize-security-group-ingress
// --source-group <forensics sg>), through the case's own allow group (isolation_groups.h), never a
// group another instance uses:
//   - the allow group admits all traffic from the lab group, beside the sources contain's
//     --allow-from gave it;
//   - every ENI of the suspect, isolated by contain, carries the allow group next to the isolation
//     group;
//   - the lab group may send to the allow group (egress), and nowhere else but HTTPS.
// lab down's lab-revoke-allow takes all three back.
#include <algorithm>

#include "response/group_rules.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"

namespace cordon::response::lab {
namespace {

// The sources (CIDRs, group ids) the group admits now.
Result<std::vector<std::string>> IngressSources(const StepContext& ctx, const std::string& group_id) {
  auto group = DescribeGroup(ctx, group_id);
  if (!group) return MakeError(group.error());
  std::vector<std::string> sources;
  for (const Json& p : group->value("IpPermissions", Json::array())) {
    for (const Json& r : p.value("IpRanges", Json::array())) sources.push_back(Str(r, "CidrIp"));
    for (const Json& r : p.value("Ipv6Ranges", Json::array())) sources.push_back(Str(r, "CidrIpv6"));
    for (const Json& r : p.value("UserIdGroupPairs", Json::array())) sources.push_back(Str(r, "GroupId"));
  }
  return sources;
}

bool Contains(const Json& list, const std::string& value) {
  return list.is_array() && std::find(list.begin(), list.end(), value) != list.end();
}

class LabAllowStep : public Step {
 public:
  std::string_view name() const override { return "lab-allow"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto role = RecordedForensicRole(ctx);
    if (!role) return MakeError(role.error());
    if (!role->empty())
      return MakeError(
          ErrorKind::kInvalidArgument,
          "the workstation is in the forensic account (" + *role +
              "): it can reach the suspect only over a VPC peering or a transit gateway between "
              "the accounts, which cordon does not set up; examine the snapshots there (lab attach)");
    auto lab = RequireLab(ctx);
    if (!lab) return MakeError(lab.error());
    auto allow = FindAllowGroup(ctx, CaseIdOf(ctx), ctx.target.vpc_id);
    if (!allow) return MakeError(allow.error());
    Json o = {{"lab_group", lab->lab_group_id},
              {"allow_group", *allow},
              {"sources", Json::array()},
              {"lab_egress", Json::array()}};
    if (!allow->empty()) {
      auto sources = IngressSources(ctx, *allow);
      if (!sources) return MakeError(sources.error());
      o["sources"] = *sources;
    }
    auto lab_group = DescribeGroup(ctx, lab->lab_group_id);
    if (!lab_group) return MakeError(lab_group.error());
    for (const Json& p : lab_group->value("IpPermissionsEgress", Json::array()))
      for (const Json& r : p.value("UserIdGroupPairs", Json::array()))
        o["lab_egress"].push_back(Str(r, "GroupId"));
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    Json list = Json::array();
    for (const Json& e : *enis)
      list.push_back(Json{{"id", e["NetworkInterfaceId"]}, {"groups", GroupIdsWithoutSsmReach(e)}});
    o["enis"] = list;
    return o;
  }

  bool IsDone(StepContext&, const Json& o) override {
    const std::string allow = Str(o, "allow_group");
    if (allow.empty() || !Contains(o["sources"], Str(o, "lab_group")) || !Contains(o["lab_egress"], allow))
      return false;
    for (const Json& e : o["enis"])
      if (!Contains(e["groups"], allow)) return false;
    return true;
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    auto isolation = FindIsolationGroups(ctx, ctx.target.vpc_id);
    if (!isolation) return MakeError(isolation.error());
    for (const Json& e : before["enis"])
      if (isolation->isolation_id.empty() || !Contains(e["groups"], isolation->isolation_id))
        return MakeError(ErrorKind::kConflict,
                         "the suspect's " + Str(e, "id") + " is not isolated by cordon (groups " +
                             e["groups"].dump() + "); contain it first, then lab allow");
    const std::string lab_group = Str(before, "lab_group");
    std::vector<std::string> sources = before["sources"].get<std::vector<std::string>>();
    if (std::find(sources.begin(), sources.end(), lab_group) == sources.end()) sources.push_back(lab_group);
    auto allow = EnsureAllowGroup(ctx, CaseIdOf(ctx), ctx.target.vpc_id, sources);
    if (!allow) return MakeError(allow.error());
    Json enis = Json::array();
    for (const Json& e : before["enis"]) {
      std::vector<std::string> groups = e["groups"].get<std::vector<std::string>>();
      if (std::find(groups.begin(), groups.end(), *allow) != groups.end()) continue;
      groups.push_back(*allow);
      auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                        Json{{"NetworkInterfaceId", e["id"]}, {"Groups", groups}});
      if (!r) return MakeError(r.error());
      enis.push_back(e["id"]);
    }
    if (Status s = IgnoreDuplicate(
            ctx.Call("ec2", "AuthorizeSecurityGroupEgress",
                     Json{{"GroupId", lab_group}, {"IpPermissions", {AllowEgressRule(*allow)}}}));
        !s)
      return MakeError(s.error());
    ctx.detail = "workstation group " + lab_group + " -> allow group " + *allow + " on " +
                 std::to_string(before["enis"].size()) + " ENIs";
    return Json{
        {"allow_group", *allow}, {"lab_group", lab_group}, {"enis_changed", enis}, {"sources", sources}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeLabAllowStep() { return std::make_unique<LabAllowStep>(); }

}  // namespace cordon::response::lab
