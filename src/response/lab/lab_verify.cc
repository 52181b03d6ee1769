// lab-verify: the workstation is what the template says, whatever launched it. moto 5.2.1 ignores
// the template's SecurityGroupIds (the instance gets the VPC's default group, which admits itself),
// SecurityGroupEgress and the launch template's MetadataOptions; a changed default or an old stack
// could do the same on AWS. So cordon looks after launch and fixes what it can:
//   - every ENI of the workstation in exactly its own lab group;
//   - the lab group with no ingress, and egress only tcp/443 anywhere (plus, after lab allow, all
//     traffic to the case's allow group);
//   - IMDSv2 required; no public IP (AssociatePublicIpAddress=false, ModifyNetworkInterfaceAttribute);
//   - termination protection off;
// and fails naming what it cannot: another VPC or AZ than the suspect's, an unencrypted root volume.
#include <algorithm>
#include <set>

#include "response/after_effect.h"
#include "response/group_rules.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_state.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"

namespace cordon::response::lab {
namespace {

// Every rule of a described permission list, one per source, with its key (group_rules.h).
std::vector<std::pair<std::string, Json>> Rules(const Json& permissions) {
  std::vector<std::pair<std::string, Json>> out;
  for (const Json& p : permissions)
    for (auto& one : SingleRules(p)) out.push_back(std::move(one));
  return out;
}

Json HttpsOutRule() {
  return Json{
      {"IpProtocol", "tcp"},
      {"FromPort", 443},
      {"ToPort", 443},
      {"IpRanges", Json::array({Json{{"CidrIp", "0.0.0.0/0"}, {"Description", "Systems Manager and S3"}}})}};
}
const std::string& HttpsOutKey() {
  static const std::string key = SingleRules(HttpsOutRule())[0].first;
  return key;
}

}  // namespace

Json AllowEgressRule(const std::string& allow_group) {
  return Json{{"IpProtocol", "-1"}, {"UserIdGroupPairs", Json::array({Json{{"GroupId", allow_group}}})}};
}

namespace {

std::string AllowEgressKey(const std::string& allow_group) {
  return SingleRules(AllowEgressRule(allow_group))[0].first;
}

class LabVerifyStep : public Step {
 public:
  std::string_view name() const override { return "lab-verify"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    auto lab = account.EnterRecordedLab();
    if (!lab) return MakeError(lab.error());
    // In the forensic account the workstation's VPC and AZ are its own (lab up took --subnet there).
    auto placement = account.cross_account()
                         ? Result<Placement>(Placement{lab->subnet_id, lab->availability_zone, lab->vpc_id})
                         : account.InSuspectAccount([&] { return SuspectPlacement(ctx); });
    if (!placement) return MakeError(placement.error());
    auto instances = ctx.Call("ec2", "DescribeInstances", Json{{"InstanceIds", {lab->workstation_id}}});
    if (!instances) return MakeError(instances.error());
    const Json w = FirstOf(FirstOf(*instances, "Reservations"), "Instances");
    Json enis = Json::array();
    for (const Json& e : w.value("NetworkInterfaces", Json::array())) {
      std::vector<std::string> groups;
      for (const Json& g : e.value("Groups", Json::array())) groups.push_back(Str(g, "GroupId"));
      enis.push_back(Json{{"id", Str(e, "NetworkInterfaceId")},
                          {"groups", groups},
                          {"public_ip", Str(e.value("Association", Json::object()), "PublicIp")}});
    }
    auto group = DescribeGroup(ctx, lab->lab_group_id);
    if (!group) return MakeError(group.error());
    const Json& g = *group;
    std::vector<std::string> ingress, egress;
    for (auto& [key, rule] : Rules(g.value("IpPermissions", Json::array()))) ingress.push_back(key);
    for (auto& [key, rule] : Rules(g.value("IpPermissionsEgress", Json::array()))) egress.push_back(key);
    auto allow = account.cross_account() ? Result<std::string>(std::string())
                                         : FindAllowGroup(ctx, CaseIdOf(ctx), placement->vpc_id);
    if (!allow) return MakeError(allow.error());
    auto term = ctx.Call("ec2", "DescribeInstanceAttribute",
                         Json{{"InstanceId", lab->workstation_id}, {"Attribute", "disableApiTermination"}});
    if (!term) return MakeError(term.error());
    auto root = RootEncrypted(ctx, w);
    if (!root) return MakeError(root.error());
    return Json{{"workstation", lab->workstation_id},
                {"lab_group", lab->lab_group_id},
                {"allow_group", *allow},
                {"vpc", Str(w, "VpcId")},
                {"availability_zone", Str(w.value("Placement", Json::object()), "AvailabilityZone")},
                {"suspect_vpc", placement->vpc_id},
                {"suspect_availability_zone", placement->availability_zone},
                {"enis", enis},
                {"ingress", ingress},
                {"egress", egress},
                {"http_tokens", Str(w.value("MetadataOptions", Json::object()), "HttpTokens")},
                {"termination_protection",
                 term->value("DisableApiTermination", Json::object()).value("Value", false)},
                {"root_encrypted", *root}};
  }

  bool IsDone(StepContext&, const Json& o) override { return Wrong(o).empty(); }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    std::vector<std::string> fixed;
    if (Status s = Fix(ctx, before, &fixed); !s) return MakeError(s.error());
    auto after = Observe(ctx);
    if (!after) return MakeError(after.error());
    std::vector<std::string> wrong = Wrong(*after);
    if (!wrong.empty()) {
      std::string list;
      for (const std::string& w : wrong) list += (list.empty() ? "" : "; ") + w;
      return MakeError(ErrorKind::kConflict, "the workstation " + Str(before, "workstation") +
                                                 " is not safe to use: " + list +
                                                 "; run `cordon lab down` and check the subnet and AMI");
    }
    std::string list;
    for (const std::string& f : fixed) list += (list.empty() ? "" : ", ") + f;
    ctx.detail = fixed.empty() ? "as the template says" : "fixed " + list;
    return Json{{"fixed", fixed}, {"verified", *after}};
  }

 private:
  static Result<bool> RootEncrypted(StepContext& ctx, const Json& w) {
    std::string root_device = Str(w, "RootDeviceName");
    for (const Json& m : w.value("BlockDeviceMappings", Json::array())) {
      if (Str(m, "DeviceName") != root_device || !m.contains("Ebs")) continue;
      auto v = ctx.Call("ec2", "DescribeVolumes", Json{{"VolumeIds", {Str(m["Ebs"], "VolumeId")}}});
      if (!v) return MakeError(v.error());
      return FirstOf(*v, "Volumes").value("Encrypted", false);
    }
    return false;
  }

  // What is not as the template says, one line each; empty when all is well.
  static std::vector<std::string> Wrong(const Json& o) {
    std::vector<std::string> out;
    if (o["vpc"] != o["suspect_vpc"] || o["availability_zone"] != o["suspect_availability_zone"])
      out.push_back("it is in " + Str(o, "vpc") + " " + Str(o, "availability_zone") + ", not the suspect's " +
                    Str(o, "suspect_vpc") + " " + Str(o, "suspect_availability_zone"));
    for (const Json& e : o["enis"]) {
      if (e["groups"] != Json::array({o["lab_group"]}))
        out.push_back("ENI " + Str(e, "id") + " is in groups " + e["groups"].dump() + ", not only " +
                      Str(o, "lab_group"));
      if (!Str(e, "public_ip").empty())
        out.push_back("ENI " + Str(e, "id") + " has public IP " + Str(e, "public_ip"));
    }
    if (!o["ingress"].empty()) out.push_back("its group admits " + o["ingress"].dump());
    for (const Json& rule : o["egress"])
      if (rule != HttpsOutKey() &&
          (Str(o, "allow_group").empty() || rule != AllowEgressKey(Str(o, "allow_group"))))
        out.push_back("its group lets out " + rule.get<std::string>());
    if (std::find(o["egress"].begin(), o["egress"].end(), HttpsOutKey()) == o["egress"].end())
      out.emplace_back("its group lacks HTTPS egress (Systems Manager, S3)");
    if (Str(o, "http_tokens") != "required") out.emplace_back("IMDSv2 is not required");
    if (o["termination_protection"] == true) out.emplace_back("termination protection is on");
    if (o["root_encrypted"] != true) out.emplace_back("its root volume is not encrypted");
    return out;
  }

  static Status Fix(StepContext& ctx, const Json& o, std::vector<std::string>* fixed) {
    const std::string ws = Str(o, "workstation"), lab_group = Str(o, "lab_group");
    for (const Json& e : o["enis"]) {
      if (e["groups"] != Json::array({lab_group})) {
        auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                          Json{{"NetworkInterfaceId", e["id"]}, {"Groups", {lab_group}}});
        if (!r) return MakeError(r.error());
        fixed->push_back("groups of " + Str(e, "id"));
      }
      if (!Str(e, "public_ip").empty()) {
        auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                          Json{{"NetworkInterfaceId", e["id"]}, {"AssociatePublicIpAddress", false}});
        if (!r) return MakeError(r.error());
        fixed->push_back("public IP of " + Str(e, "id"));
      }
    }
    if (Status s = FixRules(ctx, o, fixed); !s) return s;
    if (Str(o, "http_tokens") != "required") {
      auto r = ctx.Call("ec2", "ModifyInstanceMetadataOptions",
                        Json{{"InstanceId", ws}, {"HttpTokens", "required"}, {"HttpEndpoint", "enabled"}});
      if (!r) return MakeError(r.error());
      fixed->push_back("IMDSv2");
    }
    if (o["termination_protection"] == true) {
      auto r = ctx.Call("ec2", "ModifyInstanceAttribute",
                        Json{{"InstanceId", ws}, {"DisableApiTermination", {{"Value", false}}}});
      if (!r) return MakeError(r.error());
      fixed->push_back("termination protection");
    }
    return Ok();
  }

  // The keys of the group's rules in `direction` (IpPermissions or IpPermissionsEgress), read live.
  static Result<std::set<std::string>> RuleKeys(StepContext& ctx, const std::string& group,
                                                const char* direction) {
    auto g = DescribeGroup(ctx, group);
    if (!g) return MakeError(g.error());
    std::set<std::string> keys;
    for (auto& [key, rule] : Rules(g->value(direction, Json::array()))) keys.insert(key);
    return keys;
  }

  // Revokes `rules` of the group. A repeat after they went is InvalidPermission.NotFound: done when
  // none of them is left.
  static Result<Json> Revoke(StepContext& ctx, const char* op, const std::string& group, const Json& rules,
                             const char* direction) {
    return AcceptAfterEffect(ctx.Call("ec2", op, Json{{"GroupId", group}, {"IpPermissions", rules}}),
                             {"InvalidPermission.NotFound"}, [&]() -> Result<bool> {
                               auto keys = RuleKeys(ctx, group, direction);
                               if (!keys) return MakeError(keys.error());
                               for (const Json& rule : rules)
                                 for (auto& [key, one] : SingleRules(rule))
                                   if (keys->count(key)) return false;
                               return true;
                             });
  }

  // The missing HTTPS egress is added before anything is revoked, so the group is never left with
  // an empty egress list (which AWS reads as "nothing out", but moto does not).
  static Status FixRules(StepContext& ctx, const Json& o, std::vector<std::string>* fixed) {
    const std::string lab_group = Str(o, "lab_group"), allow = Str(o, "allow_group");
    auto group = DescribeGroup(ctx, lab_group);
    if (!group) return MakeError(group.error());
    const Json& g = *group;
    const Json& egress = o["egress"];
    if (std::find(egress.begin(), egress.end(), HttpsOutKey()) == egress.end()) {
      // A repeat after the rule was added is InvalidPermission.Duplicate: done when the group has it.
      auto r = AcceptAfterEffect(
          ctx.Call("ec2", "AuthorizeSecurityGroupEgress",
                   Json{{"GroupId", lab_group}, {"IpPermissions", Json::array({HttpsOutRule()})}}),
          {"InvalidPermission.Duplicate"}, [&]() -> Result<bool> {
            auto keys = RuleKeys(ctx, lab_group, "IpPermissionsEgress");
            if (!keys) return MakeError(keys.error());
            return keys->count(HttpsOutKey()) > 0;
          });
      if (!r) return MakeError(r.error());
      fixed->push_back("HTTPS egress");
    }
    Json revoke_out = Json::array(), revoke_in = Json::array();
    for (auto& [key, rule] : Rules(g.value("IpPermissionsEgress", Json::array())))
      if (key != HttpsOutKey() && (allow.empty() || key != AllowEgressKey(allow))) revoke_out.push_back(rule);
    for (auto& [key, rule] : Rules(g.value("IpPermissions", Json::array()))) revoke_in.push_back(rule);
    if (!revoke_out.empty()) {
      auto r = Revoke(ctx, "RevokeSecurityGroupEgress", lab_group, revoke_out, "IpPermissionsEgress");
      if (!r) return MakeError(r.error());
      fixed->push_back("egress (" + std::to_string(revoke_out.size()) + " rules revoked)");
    }
    if (!revoke_in.empty()) {
      auto r = Revoke(ctx, "RevokeSecurityGroupIngress", lab_group, revoke_in, "IpPermissions");
      if (!r) return MakeError(r.error());
      fixed->push_back("ingress (" + std::to_string(revoke_in.size()) + " rules revoked)");
    }
    return Ok();
  }
};

}  // namespace

std::unique_ptr<Step> MakeLabVerifyStep() { return std::make_unique<LabVerifyStep>(); }

}  // namespace cordon::response::lab
