// deregister-lb: removes the instance from every classic ELB and every target group it is
// registered in, found by looking (DescribeLoadBalancers, DescribeTargetGroups + DescribeTargetHealth),
// recording each target group's port so release re-registers exactly. An ip-type target group holds the
// instance by one of its private addresses: those targets are found, recorded and restored too.
#include "response/after_effect.h"
#include "response/live_state.h"
#include "response/observation.h"
#include "response/pre_state_collector.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class DeregisterLbStep : public Step {
 public:
  std::string_view name() const override { return "deregister-lb"; }
  bool undoable() const override { return true; }

  // Not reconcilable: a classic ELB or target group deleted (skipped). Registering again where the
  // instance already is registered is harmless, so that is reconcilable.
  Status AssessDrift(StepContext& ctx, const LiveState&, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    Json classic = Json::array(), groups = Json::array();
    for (const Json& lb : before.value("classic", Json::array())) {
      auto out = ctx.Call("elb", "DescribeLoadBalancers", Json{{"LoadBalancerNames", {lb}}});
      if (!out && !IsNotFoundError(out.error())) return MakeError(out.error());
      if (!out) {
        f->Skip(name(), "classic load balancer " + lb.get<std::string>() + " no longer exists");
        continue;
      }
      classic.push_back(lb);
    }
    for (const Json& m : before.value("target_groups", Json::array())) {
      auto out = ctx.Call("elbv2", "DescribeTargetGroups", Json{{"TargetGroupArns", {m["arn"]}}});
      if (!out && !IsNotFoundError(out.error())) return MakeError(out.error());
      if (!out) {
        f->Skip(name(), "target group " + Str(m, "arn") + " no longer exists");
        continue;
      }
      groups.push_back(m);
    }
    before["classic"] = classic;
    before["target_groups"] = groups;
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override { return FindLoadBalancerMemberships(ctx); }
  bool IsDone(StepContext&, const Json& o) override {
    return o["classic"].empty() && o["target_groups"].empty();
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    // Deregister from what the instance is in now (observed a moment ago); the journaled before
    // keeps the original list.
    auto now = ObservedOr(ctx, [&] { return Observe(ctx); });
    if (!now) return MakeError(now.error());
    const std::string& id = ctx.target.instance_id;
    for (const Json& name : (*now)["classic"]) {
      auto r =
          ctx.Call("elb", "DeregisterInstancesFromLoadBalancer",
                   Json{{"LoadBalancerName", name}, {"Instances", Json::array({Json{{"InstanceId", id}}})}});
      if (!r) return MakeError(r.error());
    }
    for (const Json& m : (*now)["target_groups"]) {
      // A repeat after the deregistration took effect may be refused (InvalidTarget: the target is
      // not registered): done when the group no longer holds it in service.
      const Json target = TargetOf(id, m);
      auto r = AcceptAfterEffect(
          ctx.Call("elbv2", "DeregisterTargets",
                   Json{{"TargetGroupArn", m["arn"]}, {"Targets", Json::array({target})}}),
          {"InvalidTarget"}, [&] { return TargetOutOfService(ctx, Str(m, "arn"), target); });
      if (!r) return MakeError(r.error());
    }
    ctx.detail = std::to_string((*now)["classic"].size()) + " classic ELBs, " +
                 std::to_string((*now)["target_groups"].size()) + " target groups";
    return *now;
  }
  // Whether target group `arn` no longer has `target` ({"Id", "Port"}) registered, or only draining.
  static Result<bool> TargetOutOfService(StepContext& ctx, const std::string& arn, const Json& target) {
    auto out = ctx.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", arn}});
    if (!out) return MakeError(out.error());
    for (const Json& d : out->value("TargetHealthDescriptions", Json::array())) {
      const Json t = d.value("Target", Json::object());
      if (Str(t, "Id") != Str(target, "Id")) continue;
      if (target.contains("Port") && t.value("Port", 0) != target.value("Port", 0)) continue;
      const std::string state = Str(d.value("TargetHealth", Json::object()), "State");
      if (state != "draining" && state != "unused") return false;
    }
    return true;
  }

  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json&) override {
    const std::string& id = ctx.target.instance_id;
    for (const Json& name : before.value("classic", Json::array())) {
      auto r =
          ctx.Call("elb", "RegisterInstancesWithLoadBalancer",
                   Json{{"LoadBalancerName", name}, {"Instances", Json::array({Json{{"InstanceId", id}}})}});
      if (!r) return MakeError(r.error());
    }
    for (const Json& m : before.value("target_groups", Json::array())) {
      auto r = ctx.Call("elbv2", "RegisterTargets",
                        Json{{"TargetGroupArn", m["arn"]}, {"Targets", Json::array({TargetOf(id, m)})}});
      if (!r) return MakeError(r.error());
    }
    return before;
  }
};

}  // namespace

std::unique_ptr<Step> MakeDeregisterLbStep() { return std::make_unique<DeregisterLbStep>(); }

}  // namespace cordon::response
