// The lab's plans and the IAM actions they call.
#include <algorithm>

#include "response/lab/lab.h"
#include "response/lab/lab_steps.h"

namespace cordon::response::lab {
namespace {

Plan OnePlan(const cloud::ResolvedTarget& suspect) {
  Plan plan;
  plan.target = suspect;
  return plan;
}

}  // namespace

Plan BuildLabUpPlan(const cloud::ResolvedTarget& suspect, const LabOptions& options) {
  Plan plan = OnePlan(suspect);
  plan.steps.push_back(MakePlanStep(
      MakeLabStackStep(options),
      "launch the forensic workstation stack cordon-lab-<case> in the suspect's VPC and AZ, and wait", {},
      false));
  plan.steps.push_back(MakePlanStep(MakeLabVerifyStep(),
                                    "check the workstation: only its own group, no ingress, HTTPS egress, "
                                    "IMDSv2, no public IP, encrypted root; fix what can be fixed",
                                    {"lab-stack"}, false));
  return plan;
}

Plan BuildLabAllowPlan(const cloud::ResolvedTarget& suspect) {
  Plan plan = OnePlan(suspect);
  plan.steps.push_back(MakePlanStep(
      MakeLabAllowStep(), "let the workstation's group into the case's allow group on the suspect's ENIs", {},
      true));
  return plan;
}

Plan BuildLabAttachPlan(const cloud::ResolvedTarget& suspect, const LabOptions& options) {
  Plan plan = OnePlan(suspect);
  plan.steps.push_back(
      MakePlanStep(MakeLabAttachStep(options),
                   "make a volume from each case snapshot in the workstation's AZ and attach it "
                   "(chain of custody journaled)",
                   {}, false));
  if (options.mount)
    plan.steps.push_back(MakePlanStep(MakeLabMountStep(),
                                      "on the workstation (SSM): set each volume read-only, hash it whole, "
                                      "mount it read-only without journal replay",
                                      {"lab-attach"}, false));
  return plan;
}

Plan BuildLabDownPlan(const cloud::ResolvedTarget& suspect) {
  Plan plan = OnePlan(suspect);
  plan.steps.push_back(MakePlanStep(MakeLabDetachVolumesStep(),
                                    "detach and delete the lab's volumes (never the snapshots)", {}, true));
  plan.steps.push_back(MakePlanStep(MakeLabRevokeAllowStep(),
                                    "revoke the workstation's access to the suspect", {"lab-detach-volumes"},
                                    true));
  plan.steps.push_back(MakePlanStep(MakeLabDeleteStackStep(), "delete the workstation stack and wait",
                                    {"lab-revoke-allow"}, true));
  plan.steps.push_back(MakePlanStep(
      MakeLabSweepStep(), "look for anything still tagged for the case's lab, delete it, look again",
      {"lab-delete-stack"}, true));
  return plan;
}

std::vector<std::string> LabIamActions() {
  std::vector<std::string> actions = {
      // lab up: the stack and what its template creates (CloudFormation acts with the caller's rights)
      "cloudformation:CreateStack", "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
      "cloudformation:DeleteStack", "ec2:DescribeImages", "ec2:DescribeSubnets", "ec2:RunInstances",
      "ec2:CreateSecurityGroup", "ec2:CreateLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:CreateTags",
      "iam:CreateRole", "iam:DeleteRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
      "iam:DetachRolePolicy", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:PassRole", "iam:TagRole",
      // lab-verify
      "ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeVolumes",
      "ec2:DescribeSecurityGroups", "ec2:ModifyNetworkInterfaceAttribute",
      "ec2:ModifyInstanceMetadataOptions", "ec2:ModifyInstanceAttribute", "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
      // lab allow
      "ec2:DescribeNetworkInterfaces", "ec2:AuthorizeSecurityGroupIngress",
      // lab attach
      "ec2:DescribeSnapshots", "ec2:CreateVolume", "ec2:AttachVolume",
      // lab attach --mount
      "ssm:DescribeInstanceInformation", "ssm:ListCommands", "ssm:SendCommand", "ssm:GetCommandInvocation",
      // lab down
      "ec2:DetachVolume", "ec2:DeleteVolume", "ec2:TerminateInstances", "ec2:DeleteSecurityGroup",
      // a lab in the forensic account (lab_share.h): the role, the case key, the shared copies
      "sts:AssumeRole", "sts:GetCallerIdentity", "kms:CreateKey", "kms:CreateAlias", "kms:DescribeKey",
      "kms:CancelKeyDeletion", "kms:EnableKey", "kms:ScheduleKeyDeletion", "kms:TagResource",
      "ec2:CopySnapshot", "ec2:ModifySnapshotAttribute", "ec2:DeleteSnapshot"};
  std::sort(actions.begin(), actions.end());
  actions.erase(std::unique(actions.begin(), actions.end()), actions.end());
  return actions;
}

}  // namespace cordon::response::lab
