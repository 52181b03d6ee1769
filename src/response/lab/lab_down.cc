// lab down: the lab goes, the evidence stays (DESIGN.md rules 9 and 10). In order:
//   lab-detach-volumes  detach and delete the volumes lab attach made (copies of the snapshots; the
//                       snapshots themselves are never touched);
//   lab-revoke-allow    take back what lab allow did (the allow group's lab source, the lab group's
//                       egress, and the allow group on the suspect's ENIs when nothing else needs it);
//   lab-delete-stack    delete the stack and wait;
//   lab-sweep           look for anything still tagged for the case's lab (moto's stack deletion
//                       leaves volumes behind, a crash may leave anything), delete it, look again:
//                       the step fails while anything remains.
#include <algorithm>

#include "response/group_rules.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_share.h"
#include "response/lab/lab_state.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"

namespace cordon::response::lab {
namespace {

Status DetachAndDelete(StepContext& ctx, const Json& volume) {
  const std::string id = Str(volume, "VolumeId");
  for (const Json& a : volume.value("Attachments", Json::array())) {
    if (Str(a, "State") == "detached") continue;
    // InstanceId too: moto requires it (DESIGN.md §5), AWS accepts it.
    auto d = ctx.Call("ec2", "DetachVolume", Json{{"VolumeId", id}, {"InstanceId", a["InstanceId"]}});
    if (!d && !IsNotFoundError(d.error()) && d.error().code != "IncorrectState") return MakeError(d.error());
  }
  if (Status s = ctx.client->Wait("ec2", "VolumeAvailable", Json{{"VolumeIds", {id}}},
                                  {.region = ctx.target.region});
      !s)
    return s;
  auto r = ctx.Call("ec2", "DeleteVolume", Json{{"VolumeId", id}});
  if (!r && !IsNotFoundError(r.error())) return MakeError(r.error());
  return Ok();
}

Result<Json> LabVolumes(StepContext& ctx) {
  auto out = ctx.CallAll("ec2", "DescribeVolumes",
                         Json{{"Filters", CaseRoleFilters(CaseIdOf(ctx), {std::string(kLabRole)})}});
  if (!out) return MakeError(out.error());
  return out->value("Volumes", Json::array());
}

class LabDetachVolumesStep : public Step {
 public:
  std::string_view name() const override { return "lab-detach-volumes"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    auto volumes = LabVolumes(ctx);
    if (!volumes) return MakeError(volumes.error());
    Json ids = Json::array();
    for (const Json& v : *volumes) ids.push_back(v["VolumeId"]);
    return Json{{"volumes", ids}};
  }
  bool IsDone(StepContext&, const Json& o) override { return o["volumes"].empty(); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    auto volumes = LabVolumes(ctx);
    if (!volumes) return MakeError(volumes.error());
    Json deleted = Json::array();
    for (const Json& v : *volumes) {
      if (Status s = DetachAndDelete(ctx, v); !s) return MakeError(s.error());
      deleted.push_back(v["VolumeId"]);
    }
    ctx.detail = std::to_string(deleted.size()) + " lab volumes deleted (the snapshots stay)";
    return Json{{"deleted", deleted}};
  }
};

class LabRevokeAllowStep : public Step {
 public:
  std::string_view name() const override { return "lab-revoke-allow"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto role = RecordedForensicRole(ctx);
    if (!role) return MakeError(role.error());
    if (!role->empty())
      return Json{{"allow_group", ""}, {"forensic_account_role", *role}};  // lab allow refused it
    auto allow = FindAllowGroup(ctx, CaseIdOf(ctx), ctx.target.vpc_id);
    if (!allow) return MakeError(allow.error());
    auto lab = FindLab(ctx, CaseIdOf(ctx));
    if (!lab) return MakeError(lab.error());
    Json o = {{"allow_group", *allow},        {"lab_group", *lab ? (*lab)->lab_group_id : ""},
              {"lab_sources", Json::array()}, {"other_sources", Json::array()},
              {"lab_egress", false},          {"enis", Json::array()}};
    if (allow->empty()) return o;
    auto group = DescribeGroup(ctx, *allow);
    if (!group) return MakeError(group.error());
    auto labs = LabGroupIds(ctx);
    if (!labs) return MakeError(labs.error());
    for (const Json& p : group->value("IpPermissions", Json::array()))
      for (const auto& [key, rule] : SingleRules(p)) {
        const Json pairs = rule.value("UserIdGroupPairs", Json::array());
        bool from_lab =
            !pairs.empty() && std::count(labs->begin(), labs->end(), Str(pairs[0], "GroupId")) > 0;
        o[from_lab ? "lab_sources" : "other_sources"].push_back(rule);
      }
    for (const std::string& lab_group : *labs) {
      auto g = DescribeGroup(ctx, lab_group);
      if (!g) return MakeError(g.error());
      for (const Json& p : g->value("IpPermissionsEgress", Json::array()))
        for (const Json& r : p.value("UserIdGroupPairs", Json::array()))
          if (Str(r, "GroupId") == *allow) o["lab_egress"] = true;
    }
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    for (const Json& e : *enis)
      o["enis"].push_back(Json{{"id", e["NetworkInterfaceId"]}, {"groups", GroupIdsWithoutSsmReach(e)}});
    return o;
  }

  bool IsDone(StepContext&, const Json& o) override {
    if (Str(o, "allow_group").empty()) return true;
    if (!o["lab_sources"].empty() || o["lab_egress"] == true) return false;
    if (!o["other_sources"].empty()) return true;  // contain's --allow-from still needs the group
    for (const Json& e : o["enis"])
      if (std::count(e["groups"].begin(), e["groups"].end(), o["allow_group"]) > 0) return false;
    return true;
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    const std::string allow = Str(before, "allow_group");
    auto labs = LabGroupIds(ctx);
    if (!labs) return MakeError(labs.error());
    for (const std::string& lab_group : *labs)
      if (Status s = Revoke(ctx, "RevokeSecurityGroupEgress", lab_group, AllowEgressRule(allow)); !s)
        return MakeError(s.error());
    for (const Json& rule : before["lab_sources"])
      if (Status s = Revoke(ctx, "RevokeSecurityGroupIngress", allow, rule); !s) return MakeError(s.error());
    Json result = {{"allow_group", allow}, {"revoked", before["lab_sources"].size()}};
    if (!before["other_sources"].empty()) {
      ctx.detail = "lab access revoked; the allow group keeps contain's --allow-from sources";
      return result;
    }
    // The group was the lab's alone: the suspect's ENIs go back to the isolation group alone.
    for (const Json& e : before["enis"]) {
      std::vector<std::string> groups = e["groups"].get<std::vector<std::string>>();
      auto it = std::find(groups.begin(), groups.end(), allow);
      if (it == groups.end()) continue;
      groups.erase(it);
      auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                        Json{{"NetworkInterfaceId", e["id"]}, {"Groups", groups}});
      if (!r) return MakeError(r.error());
    }
    auto deleted = DeleteGroupIfUnused(ctx, allow);
    if (!deleted) return MakeError(deleted.error());
    ctx.detail = "lab access revoked; allow group " + allow + " " + *deleted;
    result["allow_group_deleted"] = *deleted;
    return result;
  }

 private:
  // Every group tagged as the case's lab group (normally one; more after a crash between stacks).
  static Result<std::vector<std::string>> LabGroupIds(StepContext& ctx) {
    auto out = ctx.CallAll("ec2", "DescribeSecurityGroups",
                           Json{{"Filters", CaseRoleFilters(CaseIdOf(ctx), {std::string(kLabRole)})}});
    if (!out) return MakeError(out.error());
    std::vector<std::string> ids;
    for (const Json& g : out->value("SecurityGroups", Json::array())) ids.push_back(Str(g, "GroupId"));
    return ids;
  }
};

class LabDeleteStackStep : public Step {
 public:
  std::string_view name() const override { return "lab-delete-stack"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    auto stack = DescribeStack(ctx, CaseIdOf(ctx));
    if (!stack) return MakeError(stack.error());
    if (stack->is_null()) return Json{{"stack", nullptr}};
    return Json{{"stack", (*stack)["StackId"]}, {"status", (*stack)["StackStatus"]}};
  }
  bool IsDone(StepContext&, const Json& o) override {
    return o["stack"].is_null() || Str(o, "status") == "DELETE_COMPLETE";
  }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    const std::string stack = Str(before, "stack");  // by id: the name may be reused by the next lab up
    auto r = ctx.Call("cloudformation", "DeleteStack", Json{{"StackName", stack}});
    if (!r && !IsMissingStack(r.error())) return MakeError(r.error());
    if (Status s = ctx.client->Wait("cloudformation", "StackDeleteComplete", Json{{"StackName", stack}},
                                    {.region = ctx.target.region});
        !s)
      return MakeError(s.error().kind, "the lab stack " + LabStackName(CaseIdOf(ctx)) + " was not deleted: " +
                                           s.error().message + "; lab-sweep deletes what it left");
    ctx.detail = "stack " + LabStackName(CaseIdOf(ctx)) + " deleted";
    return Json{{"deleted", stack}};
  }
};

class LabSweepStep : public Step {
 public:
  std::string_view name() const override { return "lab-sweep"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto left = LabLeftovers(ctx, CaseIdOf(ctx));
    if (!left) return MakeError(left.error());
    return Json{{"left", *left}};
  }
  bool IsDone(StepContext&, const Json& o) override { return o["left"].empty(); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    Json deleted = Json::array();
    {
      LabAccount account(ctx);
      if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
      if (Status s = Sweep(ctx, &deleted); !s) return MakeError(s.error());
      // A forensic-account lab's copies of the snapshots and the case key (lab_share.h).
      if (Status s = account.InSuspectAccount([&] { return RemoveSharing(ctx, &deleted); }); !s)
        return MakeError(s.error());
    }
    auto left = LabLeftovers(ctx, CaseIdOf(ctx));
    if (!left) return MakeError(left.error());
    if (!left->empty()) {
      std::string list;
      for (const std::string& l : *left) list += (list.empty() ? "" : ", ") + l;
      return MakeError(ErrorKind::kConflict, "still there after lab down: " + list + "; rerun lab down");
    }
    ctx.detail = deleted.empty()
                     ? "nothing of the lab remains"
                     : std::to_string(deleted.size()) + " leftovers deleted; nothing of the lab remains";
    return Json{{"deleted", deleted}};
  }

 private:
  // Instances first (their ENIs hold the groups), then volumes, then groups.
  static Status Sweep(StepContext& ctx, Json* deleted) {
    const std::vector<std::string> roles = {std::string(kLabRole), std::string(kWorkstationRole)};
    const Json filters = CaseRoleFilters(CaseIdOf(ctx), roles);
    auto instances = ctx.CallAll("ec2", "DescribeInstances", Json{{"Filters", filters}});
    if (!instances) return MakeError(instances.error());
    std::vector<std::string> ids;
    for (const Json& r : instances->value("Reservations", Json::array()))
      for (const Json& i : r.value("Instances", Json::array()))
        // Never the suspect, whatever its tags say: only cordon:role-tagged lab resources go.
        if (Str(i.value("State", Json::object()), "Name") != "terminated" &&
            Str(i, "InstanceId") != ctx.target.instance_id)
          ids.push_back(Str(i, "InstanceId"));
    if (!ids.empty()) {
      auto t = ctx.Call("ec2", "TerminateInstances", Json{{"InstanceIds", ids}});
      if (!t) return MakeError(t.error());
      if (Status s = ctx.client->Wait("ec2", "InstanceTerminated", Json{{"InstanceIds", ids}},
                                      {.region = ctx.target.region});
          !s)
        return s;
      for (const std::string& id : ids) deleted->push_back("instance " + id);
    }
    auto volumes = ctx.CallAll("ec2", "DescribeVolumes", Json{{"Filters", filters}});
    if (!volumes) return MakeError(volumes.error());
    for (const Json& v : volumes->value("Volumes", Json::array())) {
      if (Status s = DetachAndDelete(ctx, v); !s) return s;
      deleted->push_back("volume " + Str(v, "VolumeId"));
    }
    auto groups = ctx.CallAll("ec2", "DescribeSecurityGroups", Json{{"Filters", filters}});
    if (!groups) return MakeError(groups.error());
    for (const Json& g : groups->value("SecurityGroups", Json::array())) {
      auto r = ctx.Call("ec2", "DeleteSecurityGroup", Json{{"GroupId", g["GroupId"]}});
      if (!r && !IsNotFoundError(r.error())) return MakeError(r.error());
      deleted->push_back("security-group " + Str(g, "GroupId"));
    }
    return Ok();
  }
};

}  // namespace

std::unique_ptr<Step> MakeLabDetachVolumesStep() { return std::make_unique<LabDetachVolumesStep>(); }
std::unique_ptr<Step> MakeLabRevokeAllowStep() { return std::make_unique<LabRevokeAllowStep>(); }
std::unique_ptr<Step> MakeLabDeleteStackStep() { return std::make_unique<LabDeleteStackStep>(); }
std::unique_ptr<Step> MakeLabSweepStep() { return std::make_unique<LabSweepStep>(); }

}  // namespace cordon::response::lab
