// cleanup-groups: cordon's groups for the suspect's VPCs, deleted once no network interface uses
// them. The case's allow group goes first; the VPC's shared groups (untrack, isolation, ssm-reach)
// stay while another contained instance still uses them, and that is done, not a failure.
#include <set>

#include "response/cleanup/cleanup_steps.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"

namespace cordon::response::cleanup {
namespace {

// The VPCs of the suspect's interfaces, as contain recorded them (the suspect is gone by now).
Result<std::set<std::string>> SuspectVpcs(const StepContext& ctx) {
  std::set<std::string> vpcs;
  if (!ctx.target.vpc_id.empty()) vpcs.insert(ctx.target.vpc_id);
  auto recorded = ctx.store->pre_state().PreState(ctx.target.instance_id);
  if (!recorded) return MakeError(recorded.error());
  if (*recorded) {
    const Json& enis = (*recorded)->state["network_interfaces"];
    if (enis.is_array())
      for (const Json& e : enis)
        if (!Str(e, "VpcId").empty()) vpcs.insert(Str(e, "VpcId"));
  }
  return vpcs;
}

// cordon's groups of `vpc` for this case, in deletion order: [{"id", "name", "in_use"}].
Result<Json> CordonGroups(const StepContext& ctx, const std::string& vpc) {
  const std::vector<std::string> names = {AllowGroupName(CaseIdOf(ctx), vpc), "cordon-untrack-" + vpc,
                                          "cordon-isolation-" + vpc, SsmReachGroupName(vpc)};
  Json input = Filters("vpc-id", {vpc});
  input["Filters"].push_back(Json{{"Name", "group-name"}, {"Values", names}});
  auto groups = ctx.CallAll("ec2", "DescribeSecurityGroups", input);
  if (!groups) return MakeError(groups.error());
  Json out = Json::array();
  for (const std::string& name : names)
    for (const Json& g : groups->value("SecurityGroups", Json::array())) {
      if (Str(g, "GroupName") != name) continue;
      auto users = ctx.Call("ec2", "DescribeNetworkInterfaces", Filters("group-id", {Str(g, "GroupId")}));
      if (!users) return MakeError(users.error());
      out.push_back(Json{{"id", g["GroupId"]},
                         {"name", name},
                         {"in_use", !users->value("NetworkInterfaces", Json::array()).empty()}});
    }
  return out;
}

class DeleteGroupsStep : public Step {
 public:
  std::string_view name() const override { return "cleanup-groups"; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto vpcs = SuspectVpcs(ctx);
    if (!vpcs) return MakeError(vpcs.error());
    Json groups = Json::array();
    for (const std::string& vpc : *vpcs) {
      auto found = CordonGroups(ctx, vpc);
      if (!found) return MakeError(found.error());
      for (Json& g : *found) groups.push_back(std::move(g));
    }
    return Json{{"groups", groups}};
  }
  bool IsDone(StepContext&, const Json& o) override {
    for (const Json& g : o["groups"])
      if (!g["in_use"].get<bool>()) return false;
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto now = Observe(ctx);  // a rerun's recorded before may list groups already deleted
    if (!now) return MakeError(now.error());
    Json outcome = Json::object();
    int deleted = 0;
    for (const Json& g : (*now)["groups"]) {
      auto what = DeleteGroupIfUnused(ctx, Str(g, "id"));
      if (!what) return MakeError(what.error());
      outcome[Str(g, "name")] = *what;
      deleted += *what == "deleted";
    }
    ctx.detail = std::to_string(deleted) + " groups deleted";
    return Json{{"groups", outcome}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeDeleteGroupsStep() { return std::make_unique<DeleteGroupsStep>(); }

}  // namespace cordon::response::cleanup
