// recover-verify: is the service whole again? Observe lists what is not (the "problems"); DoApply
// polls until nothing is, or --wait runs out.
#include <chrono>
#include <set>
#include <thread>

#include "base/strings.h"
#include "response/live_state.h"
#include "response/recover/recover_steps.h"

namespace cordon::response::recover {
namespace {

// The group's InService, Healthy instances other than the suspect, or a problem.
Result<std::vector<std::string>> HealthyMembers(const StepContext& ctx, const std::string& group,
                                                Json* problems) {
  auto out = ctx.Call("autoscaling", "DescribeAutoScalingGroups", Json{{"AutoScalingGroupNames", {group}}});
  if (!out) return MakeError(out.error());
  const Json groups = out->value("AutoScalingGroups", Json::array());
  if (groups.empty()) {
    problems->push_back("Auto Scaling group " + group + " no longer exists");
    return std::vector<std::string>{};
  }
  std::vector<std::string> healthy;
  for (const Json& i : groups[0].value("Instances", Json::array()))
    if (Str(i, "InstanceId") != ctx.target.instance_id && Str(i, "LifecycleState") == "InService" &&
        Str(i, "HealthStatus") == "Healthy")
      healthy.push_back(Str(i, "InstanceId"));
  const int desired = groups[0].value("DesiredCapacity", 0);
  if (static_cast<int>(healthy.size()) < desired)
    problems->push_back("Auto Scaling group " + group + " has " + std::to_string(healthy.size()) + " of " +
                        std::to_string(desired) + " instances InService and Healthy");
  return healthy;
}

// Each of `members` InService in every recorded classic ELB and healthy in every target group.
Status CheckRegistered(const StepContext& ctx, const RecordedService& s,
                       const std::vector<std::string>& members, Json* problems) {
  for (const Json& name : s.classic_load_balancers) {
    auto out = ctx.Call("elb", "DescribeInstanceHealth", Json{{"LoadBalancerName", name}});
    if (!out) return MakeError(out.error());
    std::set<std::string> in_service;
    for (const Json& i : out->value("InstanceStates", Json::array()))
      if (Str(i, "State") == "InService") in_service.insert(Str(i, "InstanceId"));
    for (const std::string& id : members)
      if (!in_service.count(id))
        problems->push_back(id + " is not InService in classic ELB " + name.get<std::string>());
  }
  for (const Json& tg : s.target_groups) {
    auto out = ctx.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", tg["arn"]}});
    if (!out) return MakeError(out.error());
    std::set<std::string> healthy;
    for (const Json& d : out->value("TargetHealthDescriptions", Json::array()))
      if (Str(d.value("TargetHealth", Json::object()), "State") == "healthy")
        healthy.insert(Str(d.value("Target", Json::object()), "Id"));
    for (const std::string& id : members)
      if (!healthy.count(id)) problems->push_back(id + " is not healthy in target group " + Str(tg, "arn"));
  }
  return Ok();
}

class VerifyStep : public Step {
 public:
  explicit VerifyStep(RecoverOptions options) : options_(options) {}
  std::string_view name() const override { return "recover-verify"; }
  bool Cycles() const override { return true; }  // a fresh verdict on every run

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto s = ReadRecordedService(ctx);
    if (!s) return MakeError(s.error());
    Json problems = Json::array();
    std::vector<std::string> members;
    if (!s->auto_scaling_group.empty()) {
      auto healthy = HealthyMembers(ctx, s->auto_scaling_group, &problems);
      if (!healthy) return MakeError(healthy.error());
      members = *healthy;
    } else {
      auto replacement = FindReplacement(ctx);
      if (!replacement) return MakeError(replacement.error());
      if (!*replacement)
        problems.push_back("nothing replaced standalone instance " + ctx.target.instance_id +
                           "; relaunch it from its recorded configuration with `cordon recover --relaunch`");
      else if (Str((**replacement)["State"], "Name") != "running")
        problems.push_back("the replacement " + Str(**replacement, "InstanceId") + " is not running yet");
      else
        members.push_back(Str(**replacement, "InstanceId"));
    }
    if (Status st = CheckRegistered(ctx, *s, members, &problems); !st) return MakeError(st.error());
    return Json{{"group", s->auto_scaling_group}, {"serving", members}, {"problems", problems}};
  }
  bool IsDone(StepContext&, const Json& o) override { return o["problems"].empty(); }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(options_.wait_seconds);
    Json now = before;
    while (!now["problems"].empty() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::seconds(options_.poll_seconds));
      auto again = Observe(ctx);
      if (!again) return MakeError(again.error());
      now = std::move(*again);
    }
    if (!now["problems"].empty()) {
      Error e{ErrorKind::kConflict, "the service is not whole after " +
                                        std::to_string(options_.wait_seconds) +
                                        " s: " + Join(now["problems"].get<std::vector<std::string>>(), "; ")};
      e.code = std::string(kNotWholeCode);
      return tl::unexpected(e);
    }
    ctx.detail = "serving: " + std::to_string(now["serving"].size()) + " instances";
    return now;
  }

 private:
  RecoverOptions options_;
};

}  // namespace

std::unique_ptr<Step> MakeVerifyStep(const RecoverOptions& options) {
  return std::make_unique<VerifyStep>(options);
}

}  // namespace cordon::response::recover
