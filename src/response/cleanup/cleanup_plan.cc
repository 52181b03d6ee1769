#include <algorithm>

#include "response/cleanup/cleanup.h"
#include "response/cleanup/cleanup_steps.h"

namespace cordon::response::cleanup {

Plan BuildCleanupPlan(const cloud::ResolvedTarget& suspect, const CleanupOptions& options) {
  Plan plan;
  plan.target = suspect;
  plan.steps.push_back(MakePlanStep(MakeCheckEvidenceStep(options),
                                    "check the evidence is complete (a completed snapshot of every volume, "
                                    "verified memory hashes) and the lab is down; change nothing",
                                    {}, false));
  plan.steps.push_back(MakePlanStep(MakeTerminateStep(),
                                    "keep every volume, take termination protection off, terminate the "
                                    "suspect and wait",
                                    {"cleanup-check-evidence"}, true));
  plan.steps.push_back(MakePlanStep(MakeDeleteGroupsStep(),
                                    "delete the case's allow groups and the VPC's cordon groups no "
                                    "interface uses any more",
                                    {"cleanup-terminate"}, true));
  return plan;
}

std::vector<std::string> CleanupIamActions() {
  std::vector<std::string> actions = {// cleanup-check-evidence (and the lab's leftovers)
                                      "ec2:DescribeSnapshots", "ec2:DescribeInstances", "ec2:DescribeVolumes",
                                      "ec2:DescribeSecurityGroups", "cloudformation:DescribeStacks",
                                      "kms:DescribeKey",  // the lab's case key (lab_share.h)
                                                          // cleanup-terminate
                                      "ec2:ModifyInstanceAttribute", "ec2:TerminateInstances",
                                      // cleanup-groups
                                      "ec2:DescribeNetworkInterfaces", "ec2:DeleteSecurityGroup"};
  std::sort(actions.begin(), actions.end());
  actions.erase(std::unique(actions.begin(), actions.end()), actions.end());
  return actions;
}

}  // namespace cordon::response::cleanup
