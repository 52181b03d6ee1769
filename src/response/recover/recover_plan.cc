#include <algorithm>

#include "response/recover/recover.h"
#include "response/recover/recover_steps.h"

namespace cordon::response::recover {

Plan BuildRecoverPlan(const cloud::ResolvedTarget& suspect, const RecoverOptions& options) {
  Plan plan;
  plan.target = suspect;
  std::vector<std::string> verify_after;
  if (options.relaunch) {
    plan.steps.push_back(MakePlanStep(MakeRelaunchStep(),
                                      "launch a replacement of the standalone suspect from its recorded "
                                      "configuration (never its volumes or user data) and wait",
                                      {}, false));
    plan.steps.push_back(MakePlanStep(MakeRegisterStep(),
                                      "register the replacement in every classic ELB and target group the "
                                      "suspect was in",
                                      {"recover-relaunch"}, false));
    verify_after = {"recover-register"};
  }
  plan.steps.push_back(MakePlanStep(MakeVerifyStep(options),
                                    "check the service is whole (desired capacity InService and Healthy, "
                                    "registered and healthy where the suspect was); wait up to " +
                                        std::to_string(options.wait_seconds) + " s",
                                    verify_after, false));
  return plan;
}

std::vector<std::string> RecoverIamActions() {
  std::vector<std::string> actions = {
      "autoscaling:DescribeAutoScalingGroups", "elasticloadbalancing:DescribeInstanceHealth",
      "elasticloadbalancing:DescribeTargetHealth", "ec2:DescribeInstances",
      // --relaunch
      "ec2:RunInstances", "ec2:CreateTags", "iam:PassRole",
      "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:RegisterTargets"};
  std::sort(actions.begin(), actions.end());
  return actions;
}

}  // namespace cordon::response::recover
