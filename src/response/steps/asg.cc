// asg: takes the instance out of its Auto Scaling group before the network is cut, because Auto
// Scaling ignores termination protection and terminates instances that fail health checks.
// Scale-in protection first; then detach (default): DetachInstances without decrementing, so the
// group launches a replacement, or standby: EnterStandby without decrementing.
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class AsgStep : public Step {
 public:
  std::string_view name() const override { return "asg"; }
  bool undoable() const override { return true; }

  // Reconcilable: the instance out of its group (as containment left it) or already back in it.
  // Not: the group deleted, or the instance now in another group, in either mode (both skipped: an
  // instance belongs to one group at most).
  Status AssessDrift(StepContext& ctx, const LiveState&, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    std::string group = Str(before, "group");
    if (group.empty()) return Ok();
    auto g = ctx.Call("autoscaling", "DescribeAutoScalingGroups", Json{{"AutoScalingGroupNames", {group}}});
    if (!g) return MakeError(g.error());
    if (g->value("AutoScalingGroups", Json::array()).empty()) {
      f->Skip(name(), "Auto Scaling group " + group + " no longer exists");
      before["group"] = nullptr;
      return Ok();
    }
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    std::string current = Str(*now, "group");
    if (!current.empty() && current != group) {
      f->Skip(name(),
              "the instance is now in another Auto Scaling group, " + current + " (recorded " + group + ")");
      before["group"] = nullptr;
    }
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto out = ctx.Call("autoscaling", "DescribeAutoScalingInstances",
                        Json{{"InstanceIds", {ctx.target.instance_id}}});
    if (!out) return MakeError(out.error());
    Json list = out->value("AutoScalingInstances", Json::array());
    if (list.empty()) return Json{{"group", nullptr}};
    return Json{{"group", list[0]["AutoScalingGroupName"]},
                {"lifecycle_state", list[0].value("LifecycleState", "")},
                {"protected_from_scale_in", list[0].value("ProtectedFromScaleIn", false)}};
  }
  bool IsDone(StepContext& ctx, const Json& o) override {
    if (o["group"].is_null()) return true;  // not (or no longer) in a group
    return ctx.options->asg_mode == AsgMode::kStandby && Str(o, "lifecycle_state").rfind("Standby", 0) == 0;
  }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    const std::string& id = ctx.target.instance_id;
    // Act on the group the instance is in now (a rerun's recorded before may be older).
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    std::string group = Str(*now, "group");
    if (group.empty()) group = Str(before, "group");
    // Scale-in protection first in both modes: the group must not pick this instance to terminate.
    auto p = ctx.Call(
        "autoscaling", "SetInstanceProtection",
        Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}, {"ProtectedFromScaleIn", true}});
    if (!p) return MakeError(p.error());
    if (ctx.options->asg_mode == AsgMode::kStandby) {
      auto s = ctx.Call("autoscaling", "EnterStandby",
                        Json{{"InstanceIds", {id}},
                             {"AutoScalingGroupName", group},
                             {"ShouldDecrementDesiredCapacity", false}});
      if (!s) return MakeError(s.error());
      ctx.detail = "standby in " + group;
      return Json{{"mode", "standby"}, {"group", group}};
    }
    auto d = ctx.Call("autoscaling", "DetachInstances",
                      Json{{"InstanceIds", {id}},
                           {"AutoScalingGroupName", group},
                           {"ShouldDecrementDesiredCapacity", false}});
    if (!d) return MakeError(d.error());
    ctx.detail = "detached from " + group + ", replacement requested";
    return Json{{"mode", "detach"}, {"group", group}};
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) override {
    const std::string& id = ctx.target.instance_id;
    std::string group = Str(before, "group");
    if (group.empty()) return Json{{"nothing", "was not in an Auto Scaling group"}};
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    if (Str(result, "mode") == "standby") {
      if (Str(*now, "lifecycle_state").rfind("Standby", 0) == 0) {
        auto e = ctx.Call("autoscaling", "ExitStandby",
                          Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}});
        if (!e) return MakeError(e.error());
      }
    } else if ((*now)["group"].is_null()) {
      auto a = ctx.Call("autoscaling", "AttachInstances",
                        Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}});
      if (!a) return MakeError(a.error());
    }
    auto p = ctx.Call("autoscaling", "SetInstanceProtection",
                      Json{{"InstanceIds", {id}},
                           {"AutoScalingGroupName", group},
                           {"ProtectedFromScaleIn", before.value("protected_from_scale_in", false)}});
    if (!p) return MakeError(p.error());
    return Json{{"group", group}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeAsgStep() { return std::make_unique<AsgStep>(); }

}  // namespace cordon::response
