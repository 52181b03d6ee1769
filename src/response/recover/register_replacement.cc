// recover-register: the relaunched replacement goes where the suspect was: every classic ELB and
// every target group (same port, same AZ setting) contain deregistered it from.
#include <set>

#include "response/live_state.h"
#include "response/recover/recover_steps.h"

namespace cordon::response::recover {
namespace {

class RegisterStep : public Step {
 public:
  std::string_view name() const override { return "recover-register"; }

 protected:
  // What is still missing: {"replacement", "classic": [names], "target_groups": [memberships]}.
  Result<Json> Observe(StepContext& ctx) override {
    auto s = ReadRecordedService(ctx);
    if (!s) return MakeError(s.error());
    auto found = FindReplacement(ctx);
    if (!found) return MakeError(found.error());
    if (!*found)
      return MakeError(ErrorKind::kNotFound, "no replacement of " + ctx.target.instance_id +
                                                 " to register; recover-relaunch launches it");
    const std::string id = Str(**found, "InstanceId");
    Json classic = Json::array(), groups = Json::array();
    for (const Json& name : s->classic_load_balancers) {
      auto out = ctx.Call("elb", "DescribeInstanceHealth", Json{{"LoadBalancerName", name}});
      if (!out) return MakeError(out.error());
      bool in = false;
      for (const Json& i : out->value("InstanceStates", Json::array())) in = in || Str(i, "InstanceId") == id;
      if (!in) classic.push_back(name);
    }
    for (const Json& tg : s->target_groups) {
      auto out = ctx.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", tg["arn"]}});
      if (!out) return MakeError(out.error());
      bool in = false;
      for (const Json& d : out->value("TargetHealthDescriptions", Json::array()))
        in = in || Str(d.value("Target", Json::object()), "Id") == id;
      if (!in) groups.push_back(tg);
    }
    return Json{{"replacement", id}, {"classic", classic}, {"target_groups", groups}};
  }
  bool IsDone(StepContext&, const Json& o) override {
    return o["classic"].empty() && o["target_groups"].empty();
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    const std::string id = Str(*now, "replacement");
    for (const Json& name : (*now)["classic"])
      if (auto r = ctx.Call(
              "elb", "RegisterInstancesWithLoadBalancer",
              Json{{"LoadBalancerName", name}, {"Instances", Json::array({Json{{"InstanceId", id}}})}});
          !r)
        return MakeError(r.error());
    for (const Json& tg : (*now)["target_groups"])
      if (auto r =
              ctx.Call("elbv2", "RegisterTargets",
                       Json{{"TargetGroupArn", tg["arn"]}, {"Targets", Json::array({TargetOf(id, tg)})}});
          !r)
        return MakeError(r.error());
    ctx.detail = id + " into " + std::to_string((*now)["classic"].size()) + " classic ELBs, " +
                 std::to_string((*now)["target_groups"].size()) + " target groups";
    return *now;
  }
};

}  // namespace

std::unique_ptr<Step> MakeRegisterStep() { return std::make_unique<RegisterStep>(); }

}  // namespace cordon::response::recover
