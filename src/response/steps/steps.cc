// The step table (see steps.h). IAM actions are the exact API calls each step makes.
#include "response/steps/steps.h"

namespace cordon::response {

namespace {

using A = std::string_view;

// The instance's whole inventory, as the fleet read (fleet_state.h) and the per-instance inventory
// (cloud/instance_inventory.h) take it: its AMI, type, groups, Auto Scaling group, SSM registration
// and its role's policy lists too. Each of these degrades to a gap in the pre-state when refused, so
// a missing action showed in no exit code (tests/integration/policy_coverage_test.py finds them).
constexpr A kPreStateIam[] = {"ec2:DescribeInstances",
                              "ec2:DescribeInstanceAttribute",
                              "ec2:DescribeInstanceTypes",
                              "ec2:DescribeImages",
                              "ec2:DescribeNetworkInterfaces",
                              "ec2:DescribeSecurityGroups",
                              "ec2:DescribeAddresses",
                              "ec2:DescribeVolumes",
                              "ec2:DescribeIamInstanceProfileAssociations",
                              "autoscaling:DescribeAutoScalingInstances",
                              "autoscaling:DescribeAutoScalingGroups",
                              "elasticloadbalancing:DescribeLoadBalancers",
                              "elasticloadbalancing:DescribeTargetGroups",
                              "elasticloadbalancing:DescribeTargetHealth",
                              "iam:GetInstanceProfile",
                              "iam:ListAttachedRolePolicies",
                              "iam:ListRolePolicies",
                              "ssm:DescribeInstanceInformation"};
// DeleteTags: other cases' cordon:claim:<CASE> tags (a take-over's, a released case's).
constexpr A kTagIam[] = {"ec2:DescribeInstances", "ec2:CreateTags", "ec2:DeleteTags"};
// ClaimInstance (response/instance_claim.h), run by contain before any step.
constexpr A kClaimIam[] = {"ec2:DescribeInstances", "ec2:CreateTags", "ec2:DeleteTags"};
constexpr A kProtectIam[] = {"ec2:DescribeInstances", "ec2:DescribeInstanceAttribute",
                             "ec2:ModifyInstanceAttribute"};
constexpr A kAsgIam[] = {"autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups",
                         "autoscaling:SetInstanceProtection", "autoscaling:DetachInstances",
                         "autoscaling:EnterStandby"};
// Release re-attaches without growing the group: MaxSize raised for the attach when the group is at it,
// and the replacement retired (steps/asg.cc).
constexpr A kAsgUndo[] = {"autoscaling:DescribeAutoScalingInstances",
                          "autoscaling:DescribeAutoScalingGroups",
                          "autoscaling:AttachInstances",
                          "autoscaling:ExitStandby",
                          "autoscaling:SetInstanceProtection",
                          "autoscaling:UpdateAutoScalingGroup",
                          "autoscaling:TerminateInstanceInAutoScalingGroup"};
// ec2:DescribeNetworkInterfaces: an ip-type target group holds the instance by its private addresses.
constexpr A kLbIam[] = {
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",  "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
    "elasticloadbalancing:DeregisterTargets",     "ec2:DescribeNetworkInterfaces"};
constexpr A kLbUndo[] = {
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:RegisterTargets"};
constexpr A kIsolateIam[] = {"ec2:DescribeNetworkInterfaces",
                             "ec2:DescribeSecurityGroups",
                             "ec2:CreateSecurityGroup",
                             "ec2:CreateTags",
                             "ec2:AuthorizeSecurityGroupIngress",
                             "ec2:AuthorizeSecurityGroupEgress",
                             "ec2:RevokeSecurityGroupEgress",
                             "ec2:RevokeSecurityGroupIngress",
                             "ec2:ModifyNetworkInterfaceAttribute"};
// DeleteSecurityGroup: the case's --allow-from group, once no ENI uses it.
constexpr A kIsolateUndo[] = {"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups",
                              "ec2:ModifyNetworkInterfaceAttribute", "ec2:DeleteSecurityGroup"};
constexpr A kEipIam[] = {"ec2:DescribeNetworkInterfaces", "ec2:DescribeAddresses", "ec2:DisassociateAddress"};
constexpr A kEipUndo[] = {"ec2:DescribeAddresses", "ec2:AssociateAddress"};
constexpr A kCredIam[] = {"ec2:DescribeIamInstanceProfileAssociations",
                          "ec2:DisassociateIamInstanceProfile",
                          "ec2:ReplaceIamInstanceProfileAssociation",
                          "iam:GetInstanceProfile",
                          "iam:GetRolePolicy",
                          "iam:ListRolePolicies",  // contain's preflight of the role's quota
                          "iam:PutRolePolicy",
                          "iam:PassRole"};
constexpr A kCredUndo[] = {"ec2:DescribeIamInstanceProfileAssociations",
                           "ec2:AssociateIamInstanceProfile",
                           "ec2:ReplaceIamInstanceProfileAssociation",
                           "iam:GetInstanceProfile",
                           "iam:GetRolePolicy",  // the case's merged deny: one instance out of it
                           "iam:PutRolePolicy",
                           "iam:DeleteRolePolicy",
                           "iam:PassRole"};
constexpr A kTagUndo[] = {"ec2:CreateTags", "ec2:DeleteTags"};
constexpr A kProtectUndo[] = {"ec2:ModifyInstanceAttribute"};
constexpr A kSnapIam[] = {"ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeSnapshots",
                          "ec2:CreateSnapshots",   "ec2:CreateSnapshot",        "ec2:CreateTags",
                          "ec2:LockSnapshot"};  // --lock-snapshots
constexpr A kConsoleIam[] = {"ec2:GetConsoleOutput"};
// s3:GetObject covers HeadObject and the ranged reads of the evidence-side hash.
constexpr A kCaptureIam[] = {"ec2:DescribeVpcEndpoints",
                             "ec2:DescribeNetworkInterfaces",
                             "ec2:DescribePrefixLists",
                             "ec2:DescribeSecurityGroups",
                             "ec2:CreateSecurityGroup",
                             "ec2:CreateTags",
                             "ec2:AuthorizeSecurityGroupEgress",
                             "ec2:RevokeSecurityGroupEgress",
                             "ec2:ModifyNetworkInterfaceAttribute",
                             "ssm:DescribeInstanceInformation",
                             "ssm:ListCommands",
                             "ssm:SendCommand",
                             "ssm:GetCommandInvocation",
                             "s3:GetObject"};

// contain --nacl (subnet_nacl.h). DescribeInstances: the neighbours' names, for the prompt and plan;
// DeleteNetworkAclEntry: an allow rule someone added to the case's network ACL.
constexpr A kNaclIam[] = {"ec2:DescribeNetworkInterfaces", "ec2:DescribeNetworkAcls",
                          "ec2:CreateNetworkAcl",          "ec2:CreateTags",
                          "ec2:DeleteNetworkAclEntry",     "ec2:ReplaceNetworkAclAssociation",
                          "ec2:DescribeInstances"};
// DeleteTags, DeleteNetworkAcl: the case's network ACL forgets the subnet, and goes once unused.
constexpr A kNaclUndo[] = {"ec2:DescribeNetworkAcls", "ec2:ReplaceNetworkAclAssociation", "ec2:DeleteTags",
                           "ec2:DeleteNetworkAcl"};

constexpr A kNone[] = {""};
constexpr std::span<const A> kFirst(kNone, 0);
constexpr std::span<const A> kNoActions(kNone, 0);
constexpr A kAfterPre[] = {"record-pre-state"};
constexpr A kAfterTag[] = {"tag"};
constexpr A kAfterProtect[] = {"protect"};
constexpr A kAfterAsg[] = {"asg"};
constexpr A kAfterLb[] = {"asg", "deregister-lb"};
// Elastic IPs go after isolation, not beside it: a denied or failed isolation must leave every
// later destructive step unattempted (rule 5), which a step already running in parallel could not.
constexpr A kAfterIsolate[] = {"isolate-network"};
// Credentials wait for the memory capture too: the host uploads with the instance's role, which
// that step cuts (and a failed capture must stop it, rule 5).
constexpr A kAfterNet[] = {"isolate-network", "disassociate-eip", "capture-memory", "isolate-subnet"};
// The network ACL would cut the capture's path to SSM and S3: it waits for the capture.
constexpr A kAfterCapture[] = {"isolate-network", "capture-memory"};
constexpr A kAfterCred[] = {"credentials"};

// Evidence steps neither destroy nor change the instance; destructive ones change it or its
// surroundings (and are not attempted after an evidence step failed, rule 5).
const StepInfo kSteps[] = {
    {"record-pre-state", "record the full pre-containment state (write-once)", kPreStateIam, kNoActions,
     false, true, kFirst, MakeRecordPreStateStep},
    {"tag", "tag incident-response=quarantine:<CASE>, cordon:case, cordon:responder", kTagIam, kTagUndo, true,
     false, kAfterPre, MakeTagStep},
    {"protect", "termination protection, shutdown behaviour stop, DeleteOnTermination off", kProtectIam,
     kProtectUndo, true, false, kAfterTag, MakeProtectStep},
    {"asg", "Auto Scaling: scale-in protection then detach (group replaces the node), or standby", kAsgIam,
     kAsgUndo, true, false, kAfterProtect, MakeAsgStep},
    {"deregister-lb", "deregister from every classic ELB and target group", kLbIam, kLbUndo, true, false,
     kAfterAsg, MakeDeregisterLbStep},
    {"isolate-network",
     "per ENI: connection-tracking timeouts to the minimum, cordon-untrack group, then cordon-isolation "
     "group",
     kIsolateIam, kIsolateUndo, true, false, kAfterLb, MakeIsolateNetworkStep},
    {"disassociate-eip", "disassociate Elastic IPs (recorded for release)", kEipIam, kEipUndo, true, false,
     kAfterIsolate, MakeDisassociateEipStep},
    // Opt-in (contain adds it with --capture-memory); --capture-before-isolation moves it before
    // isolate-network (ArrangeMemoryCapture).
    {"capture-memory", "memory image and volatile data to S3 through SSM Run Command, hashed on both sides",
     kCaptureIam, kNoActions, false, true, kAfterIsolate, MakeCaptureMemoryStep},
    // Opt-in (contain adds it with --nacl, after naming the neighbours it cuts off).
    {"isolate-subnet",
     "the ENIs' subnets to network ACL cordon-nacl-<CASE>-<vpc> (deny all in and out; cuts off every "
     "neighbour in them)",
     kNaclIam, kNaclUndo, true, false, kAfterCapture, MakeIsolateSubnetStep},
    {"credentials", "replace/disassociate the instance profile; deny the role for this instance", kCredIam,
     kCredUndo, true, false, kAfterNet, MakeCredentialsStep},
    {"snapshot", "one crash-consistent snapshot set of every EBS volume, tagged", kSnapIam, kNoActions, false,
     true, kAfterCred, MakeSnapshotStep},
    {"console-output", "save the console output as evidence (SHA-256)", kConsoleIam, kNoActions, false, true,
     kAfterCred, MakeConsoleOutputStep},
};

const StepInfo kPreserveSnapshot = {"preserve-snapshot",
                                    "a snapshot set of every EBS volume, tagged",
                                    kSnapIam,
                                    kNoActions,
                                    false,
                                    true,
                                    kFirst,
                                    MakeSnapshotStep};

}  // namespace

std::span<const StepInfo> ContainSteps() { return kSteps; }
const StepInfo& PreserveSnapshotStep() { return kPreserveSnapshot; }
std::span<const std::string_view> InstanceClaimIam() { return kClaimIam; }

const StepInfo* FindStep(std::string_view name) {
  for (const StepInfo& s : kSteps)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace cordon::response
