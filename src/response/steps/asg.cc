// asg: takes the instance out of its Auto Scaling group before the network is cut, because Auto
// Scaling ignores termination protection and terminates instances that fail health checks.
// Scale-in protection first; then detach (default): DetachInstances without decrementing, so the
// group launches a replacement, or standby: EnterStandby without decrementing.
// Release (detach mode) puts the instance back without leaving the group one larger: AttachInstances
// raises the desired capacity by one and fails at MaxSize (Auto Scaling API reference), so release
// raises MaxSize for the attach if it must, then retires a replacement the group launched (an
// instance that was not a member when containment detached this one, never the released instance;
// steps/asg_replacement.h says which) with TerminateInstanceInAutoScalingGroup decrementing the
// capacity, and puts MaxSize back. Release (standby mode) retires a replacement the same way after
// ExitStandby, which raises the desired capacity by one.
#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cloud/instances_by_id.h"
#include "response/after_effect.h"
#include "response/fleet_state.h"
#include "response/live_state.h"
#include "response/observation.h"
#include "response/steps/asg_replacement.h"
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
    const Json groups = g->value("AutoScalingGroups", Json::array());
    if (groups.empty()) {
      f->Skip(name(), "Auto Scaling group " + group + " no longer exists");
      before["group"] = nullptr;
      return Ok();
    }
    // Attaching (or ExitStandby) registers the instance with the load balancers and target groups the
    // group has then (DetachInstances and EnterStandby deregistered it from them, Auto Scaling API
    // reference): the plan names them, since deregister-lb's record does not hold them.
    before["group_load_balancers"] = groups[0].value("LoadBalancerNames", Json::array());
    before["group_target_groups"] = groups[0].value("TargetGroupARNs", Json::array());
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
    // Only this step moves the instance in or out of its group: the fleet read is live state. Not in
    // AssessDrift or DoUndo (release has no fleet read).
    const TargetState* f = FleetTarget(ctx);
    auto out = f != nullptr && f->auto_scaling
                   ? Result<Json>(Json{{"AutoScalingInstances", *f->auto_scaling}})
                   : ctx.Call("autoscaling", "DescribeAutoScalingInstances",
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
    auto now = ObservedOr(ctx, [&] { return Observe(ctx); });
    if (!now) return MakeError(now.error());
    std::string group = Str(*now, "group");
    if (group.empty()) group = Str(before, "group");
    // Scale-in protection first in both modes: the group must not pick this instance to terminate.
    auto p = ctx.Call(
        "autoscaling", "SetInstanceProtection",
        Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}, {"ProtectedFromScaleIn", true}});
    if (!p) return MakeError(p.error());
    // The members before the move: release tells the replacement from them.
    auto sizes = GroupSizes(ctx, group);
    if (!sizes) return MakeError(sizes.error());
    if (ctx.options->asg_mode == AsgMode::kStandby) {
      auto s = AcceptAfterEffect(ctx.Call("autoscaling", "EnterStandby",
                                          Json{{"InstanceIds", {id}},
                                               {"AutoScalingGroupName", group},
                                               {"ShouldDecrementDesiredCapacity", false}}),
                                 {"ValidationError"}, [&] { return InState(ctx, id, group, "Standby"); });
      if (!s) return MakeError(s.error());
      ctx.detail = "standby in " + group;
      return Json{{"mode", "standby"},
                  {"group", group},
                  {"members_before", sizes->members},
                  {"desired_before", sizes->desired},
                  {"max_before", sizes->max}};
    }
    // A retry of a detach whose answer was lost finds the instance out of the group (ValidationError):
    // done, and the members above were read before it.
    auto d = AcceptAfterEffect(ctx.Call("autoscaling", "DetachInstances",
                                        Json{{"InstanceIds", {id}},
                                             {"AutoScalingGroupName", group},
                                             {"ShouldDecrementDesiredCapacity", false}}),
                               {"ValidationError"}, [&] { return InState(ctx, id, "", ""); });
    if (!d) return MakeError(d.error());
    ctx.detail = "detached from " + group + ", replacement requested";
    return Json{{"mode", "detach"},
                {"group", group},
                {"members_before", sizes->members},
                {"desired_before", sizes->desired},
                {"max_before", sizes->max}};
  }

  struct Sizes {
    int min = 0, max = 0, desired = 0;
    std::vector<std::string> members;
    std::vector<GroupMember> states;  // the members with their lifecycle states
  };

  // Whether `instance` is, read live now (not the fleet read), in `group` with a lifecycle state that
  // starts with `state` ("": any state); with an empty `group`, whether it is in no group or on its
  // way out of it.
  static Result<bool> InState(StepContext& ctx, const std::string& instance, const std::string& group,
                              const std::string& state) {
    auto now = LiveMembership(ctx, instance);
    if (!now) return MakeError(now.error());
    const std::string lifecycle = Str(*now, "LifecycleState");
    if (group.empty())
      return now->is_null() || lifecycle.rfind("Detach", 0) == 0 || lifecycle.rfind("Terminat", 0) == 0;
    return Str(*now, "AutoScalingGroupName") == group && lifecycle.rfind(state, 0) == 0;
  }
  // Whether `instance` is, read live now, in `group` and out of standby (ExitStandby took effect).
  static Result<bool> InGroupOutOfStandby(StepContext& ctx, const std::string& instance,
                                          const std::string& group) {
    auto now = LiveMembership(ctx, instance);
    if (!now) return MakeError(now.error());
    return Str(*now, "AutoScalingGroupName") == group && Str(*now, "LifecycleState").rfind("Standby", 0) != 0;
  }
  // The instance's AutoScalingInstances entry, read live now; null when it is in no group.
  static Result<Json> LiveMembership(StepContext& ctx, const std::string& instance) {
    auto out = ctx.Call("autoscaling", "DescribeAutoScalingInstances",
                        Json{{"InstanceIds", Json::array({instance})}});
    if (!out) return MakeError(out.error());
    const Json list = out->value("AutoScalingInstances", Json::array());
    return list.empty() ? Json() : list[0];
  }

  static Result<Sizes> GroupSizes(StepContext& ctx, const std::string& group) {
    auto g = ctx.Call("autoscaling", "DescribeAutoScalingGroups", Json{{"AutoScalingGroupNames", {group}}});
    if (!g) return MakeError(g.error());
    const Json groups = g->value("AutoScalingGroups", Json::array());
    if (groups.empty())
      return MakeError(ErrorKind::kNotFound, "Auto Scaling group " + group + " no longer exists");
    Sizes out;
    out.min = groups[0].value("MinSize", 0);
    out.max = groups[0].value("MaxSize", 0);
    out.desired = groups[0].value("DesiredCapacity", 0);
    for (const Json& i : groups[0].value("Instances", Json::array())) {
      out.members.push_back(Str(i, "InstanceId"));
      out.states.push_back(GroupMember{Str(i, "InstanceId"), Str(i, "LifecycleState")});
    }
    return out;
  }

  // Release runs its targets side by side; two releases of one group must not read the same members
  // and retire the same replacement, so reattaching runs one at a time in the process (a few calls).
  static std::mutex& ReattachMutex() {
    static std::mutex mu;
    return mu;
  }
  // The replacements this process retired: Auto Scaling may still list one as InService a moment
  // after TerminateInstanceInAutoScalingGroup (its reads are eventually consistent). Under the mutex.
  static std::set<std::string>& Retired() {
    static std::set<std::string> retired;
    return retired;
  }

  // Of the candidates, the one to retire: the only one, else the earliest launched (asg_replacement.h).
  static Result<std::string> PickReplacement(StepContext& ctx, const std::vector<std::string>& candidates) {
    if (candidates.size() <= 1) return candidates.empty() ? std::string() : candidates[0];
    auto found = cloud::DescribeInstancesById(*ctx.client, ctx.target.region, candidates);
    if (!found) return MakeError(found.error());
    std::map<std::string, std::string> launched;
    for (const auto& [id, instance] : *found) launched[id] = Str(instance, "LaunchTime");
    return EarliestLaunched(launched);
  }

  // Retires one replacement with TerminateInstanceInAutoScalingGroup, decrementing the capacity: a
  // member of `states` (the group now) that was not one when containment took this instance out. A
  // record from before members_before was kept cannot tell one, and retires none. Returns the
  // detail's addition, and sets `*retired` when it retired one; `left_at` is the capacity it leaves when
  // there is none to retire.
  static Result<std::string> RetireReplacement(StepContext& ctx, const std::vector<GroupMember>& states,
                                               const Json& result, int left_at, bool* retired = nullptr) {
    const bool known = result.is_object() && result.contains("members_before");
    std::vector<std::string> before;
    if (known)
      for (const Json& m : result["members_before"])
        if (m.is_string()) before.push_back(m.get<std::string>());
    const std::vector<std::string> candidates =
        known ? ReplacementCandidates(states, before, ctx.target.instance_id, Retired())
              : std::vector<std::string>();
    auto retire = PickReplacement(ctx, candidates);
    if (!retire) return MakeError(retire.error());
    if (retire->empty())  // no replacement to retire: the group keeps the extra instance, and says so
      return "; desired capacity left at " + std::to_string(left_at) +
             " (no instance launched since containment is left to retire)";
    auto t =
        AcceptAfterEffect(ctx.Call("autoscaling", "TerminateInstanceInAutoScalingGroup",
                                   Json{{"InstanceId", *retire}, {"ShouldDecrementDesiredCapacity", true}}),
                          {"ValidationError"}, [&] { return InState(ctx, *retire, "", ""); });
    if (!t) return MakeError(t.error());
    Retired().insert(*retire);
    if (retired != nullptr) *retired = true;
    return "; replacement " + *retire + " retired";
  }

  // ExitStandby raises the desired capacity by one (Auto Scaling API reference, ExitStandby; "Temporarily
  // remove instances from your Auto Scaling group": the group launched a replacement when the instance
  // entered standby without decrementing), so the group would stay one larger: one replacement is
  // retired, as after an attach.
  Result<std::string> ExitStandby(StepContext& ctx, const std::string& group, const Json& result) {
    const std::string& id = ctx.target.instance_id;
    std::lock_guard<std::mutex> lock(ReattachMutex());
    // Once only: a retry after it took effect is refused (the instance is not in Standby).
    auto e = AcceptAfterEffect(
        ctx.Call("autoscaling", "ExitStandby", Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}}),
        {"ValidationError"}, [&] { return InGroupOutOfStandby(ctx, id, group); });
    if (!e) return MakeError(e.error());
    auto now = GroupSizes(ctx, group);
    if (!now) return MakeError(now.error());
    auto retired = RetireReplacement(ctx, now->states, result, now->desired);
    if (!retired) return MakeError(retired.error());
    return "back in service in " + group + *retired;
  }

  // Attaches the instance back and leaves the group's capacity and MaxSize as they were before.
  Result<std::string> Reattach(StepContext& ctx, const std::string& group, const Json& result) {
    const std::string& id = ctx.target.instance_id;
    std::lock_guard<std::mutex> lock(ReattachMutex());
    auto now = GroupSizes(ctx, group);
    if (!now) return MakeError(now.error());
    const bool raise = now->desired + 1 > now->max;
    if (raise) {
      auto u = ctx.Call("autoscaling", "UpdateAutoScalingGroup",
                        Json{{"AutoScalingGroupName", group}, {"MaxSize", now->desired + 1}});
      if (!u) return MakeError(u.error());
    }
    // Attached once only: a retry after the attach took effect is refused (the instance is a member).
    auto a = AcceptAfterEffect(ctx.Call("autoscaling", "AttachInstances",
                                        Json{{"InstanceIds", {id}}, {"AutoScalingGroupName", group}}),
                               {"ValidationError"}, [&] { return InState(ctx, id, group, ""); });
    if (!a) return MakeError(a.error());
    std::string detail = "attached to " + group;
    auto retired = RetireReplacement(ctx, now->states, result, now->desired + 1);
    if (!retired) return MakeError(retired.error());
    detail += *retired;
    if (raise) {
      auto u = ctx.Call("autoscaling", "UpdateAutoScalingGroup",
                        Json{{"AutoScalingGroupName", group}, {"MaxSize", now->max}});
      if (!u) return MakeError(u.error());
    }
    return detail;
  }
  // The instance is back in service in its group already: a release that put it back and stopped
  // before it retired the replacement (that call failed, or the process died) left the group one
  // larger than containment found it, and MaxSize raised for the attach. This rerun finishes that:
  // with the desired capacity above the one containment recorded, one replacement is retired (never
  // more: the owner may have scaled the group since), and a MaxSize that is exactly what the attach
  // raised it to goes back. A record from before desired_before was kept settles nothing.
  Result<std::string> SettleEarlierReturn(StepContext& ctx, const std::string& group, const Json& result) {
    if (!result.is_object() || !result.contains("desired_before")) return std::string();
    const int desired_before = result.value("desired_before", 0);
    const int max_before = result.value("max_before", 0);
    std::lock_guard<std::mutex> lock(ReattachMutex());
    auto now = GroupSizes(ctx, group);
    if (!now) return MakeError(now.error());
    std::string detail;
    int desired = now->desired;
    if (desired > desired_before) {
      bool one_retired = false;
      auto retired = RetireReplacement(ctx, now->states, result, desired, &one_retired);
      if (!retired) return MakeError(retired.error());
      if (one_retired) --desired;
      detail = "already back in " + group + *retired;
    }
    if (now->max > max_before && now->max == desired_before + 1 && desired <= max_before) {
      auto u = ctx.Call("autoscaling", "UpdateAutoScalingGroup",
                        Json{{"AutoScalingGroupName", group}, {"MaxSize", max_before}});
      if (!u) return MakeError(u.error());
      detail +=
          (detail.empty() ? "" : "; ") + std::string("MaxSize put back to ") + std::to_string(max_before);
    }
    return detail;
  }

  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) override {
    const std::string& id = ctx.target.instance_id;
    std::string group = Str(before, "group");
    if (group.empty()) return Json{{"nothing", "was not in an Auto Scaling group"}};
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    const bool standby = Str(result, "mode") == "standby";
    if (standby && Str(*now, "lifecycle_state").rfind("Standby", 0) == 0) {
      auto back = ExitStandby(ctx, group, result);
      if (!back) return MakeError(back.error());
      ctx.detail = *back;
    } else if (!standby && (*now)["group"].is_null()) {
      auto attached = Reattach(ctx, group, result);
      if (!attached) return MakeError(attached.error());
      ctx.detail = *attached;
    } else if (Str(*now, "group") == group) {
      auto settled = SettleEarlierReturn(ctx, group, result);
      if (!settled) return MakeError(settled.error());
      if (!settled->empty()) ctx.detail = *settled;
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
