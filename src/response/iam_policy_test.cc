// cordon iam-policy against the AWS Service Authorization Reference, by a hand-written table: moto's
// IAM enforcement checks only that an action is allowed, by the API's name (it ignores resources and
// conditions, and authorizes S3 by operation name: GetObjectLockConfiguration where IAM says
// s3:GetBucketObjectLockConfiguration), so these facts of real IAM are checked here.
#include "response/iam_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace cordon::response {
namespace {

// Every action cordon's policies may name, as IAM names it (docs.aws.amazon.com/service-authorization/
// latest/reference/, "Actions defined by ..." of each service), checked by hand.
const std::set<std::string>& IamActionNames() {
  static const std::set<std::string> kNames = {"athena:GetQueryExecution",
                                               "athena:GetQueryResults",
                                               "athena:StartQueryExecution",
                                               "athena:StopQueryExecution",
                                               "autoscaling:AttachInstances",
                                               "autoscaling:DescribeAutoScalingGroups",
                                               "autoscaling:DescribeAutoScalingInstances",
                                               "autoscaling:DetachInstances",
                                               "autoscaling:EnterStandby",
                                               "autoscaling:ExitStandby",
                                               "autoscaling:SetInstanceProtection",
                                               "autoscaling:TerminateInstanceInAutoScalingGroup",
                                               "autoscaling:UpdateAutoScalingGroup",
                                               "cloudformation:CreateStack",
                                               "cloudformation:DeleteStack",
                                               "cloudformation:DescribeStackEvents",
                                               "cloudformation:DescribeStacks",
                                               "cloudtrail:DescribeTrails",
                                               "cloudtrail:LookupEvents",
                                               "config:DescribeConfigurationRecorderStatus",
                                               "config:DescribeConfigurationRecorders",
                                               "config:GetResourceConfigHistory",
                                               "ebs:GetSnapshotBlock",
                                               "ebs:ListSnapshotBlocks",
                                               "ec2:AssociateAddress",
                                               "ec2:AssociateIamInstanceProfile",
                                               "ec2:AttachVolume",
                                               "ec2:AuthorizeSecurityGroupEgress",
                                               "ec2:AuthorizeSecurityGroupIngress",
                                               "ec2:CopySnapshot",
                                               "ec2:CreateLaunchTemplate",
                                               "ec2:CreateNetworkAcl",
                                               "ec2:CreateSecurityGroup",
                                               "ec2:CreateSnapshot",
                                               "ec2:CreateSnapshots",
                                               "ec2:CreateTags",
                                               "ec2:CreateVolume",
                                               "ec2:DeleteLaunchTemplate",
                                               "ec2:DeleteNetworkAcl",
                                               "ec2:DeleteNetworkAclEntry",
                                               "ec2:DeleteSecurityGroup",
                                               "ec2:DeleteSnapshot",
                                               "ec2:DeleteTags",
                                               "ec2:DeleteVolume",
                                               "ec2:DescribeAddresses",
                                               "ec2:DescribeFlowLogs",
                                               "ec2:DescribeIamInstanceProfileAssociations",
                                               "ec2:DescribeImages",
                                               "ec2:DescribeInstanceAttribute",
                                               "ec2:DescribeInstanceTypes",
                                               "ec2:DescribeInstances",
                                               "ec2:DescribeNetworkAcls",
                                               "ec2:DescribeNetworkInterfaces",
                                               "ec2:DescribePrefixLists",
                                               "ec2:DescribeRegions",
                                               "ec2:DescribeSecurityGroups",
                                               "ec2:DescribeSnapshots",
                                               "ec2:DescribeSubnets",
                                               "ec2:DescribeVolumes",
                                               "ec2:DescribeVpcEndpoints",
                                               "ec2:DescribeVpcs",
                                               "ec2:DetachVolume",
                                               "ec2:DisassociateAddress",
                                               "ec2:DisassociateIamInstanceProfile",
                                               "ec2:GetConsoleOutput",
                                               "ec2:LockSnapshot",
                                               "ec2:ModifyInstanceAttribute",
                                               "ec2:ModifyInstanceMetadataOptions",
                                               "ec2:ModifyNetworkInterfaceAttribute",
                                               "ec2:ModifySnapshotAttribute",
                                               "ec2:ReplaceIamInstanceProfileAssociation",
                                               "ec2:ReplaceNetworkAclAssociation",
                                               "ec2:RevokeSecurityGroupEgress",
                                               "ec2:RevokeSecurityGroupIngress",
                                               "ec2:RunInstances",
                                               "ec2:TerminateInstances",
                                               "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
                                               "elasticloadbalancing:DeregisterTargets",
                                               "elasticloadbalancing:DescribeInstanceHealth",
                                               "elasticloadbalancing:DescribeLoadBalancers",
                                               "elasticloadbalancing:DescribeTargetGroups",
                                               "elasticloadbalancing:DescribeTargetHealth",
                                               "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
                                               "elasticloadbalancing:RegisterTargets",
                                               "events:DescribeRule",
                                               "events:ListTargetsByRule",
                                               "events:PutRule",
                                               "events:PutTargets",
                                               "glue:GetDatabase",
                                               "glue:GetPartitions",
                                               "glue:GetTable",
                                               "guardduty:GetDetector",
                                               "guardduty:ListDetectors",
                                               "iam:AddRoleToInstanceProfile",
                                               "iam:AttachRolePolicy",
                                               "iam:CreateInstanceProfile",
                                               "iam:CreateRole",
                                               "iam:DeleteInstanceProfile",
                                               "iam:DeleteRole",
                                               "iam:DeleteRolePolicy",
                                               "iam:DetachRolePolicy",
                                               "iam:GetInstanceProfile",
                                               "iam:GetPolicy",
                                               "iam:GetPolicyVersion",
                                               "iam:GetRole",
                                               "iam:GetRolePolicy",
                                               "iam:ListAttachedRolePolicies",
                                               "iam:ListRolePolicies",
                                               "iam:PassRole",
                                               "iam:PutRolePolicy",
                                               "iam:RemoveRoleFromInstanceProfile",
                                               "iam:TagRole",
                                               "inspector2:BatchGetAccountStatus",
                                               "inspector2:ListFindings",
                                               "kms:CancelKeyDeletion",
                                               "kms:CreateAlias",
                                               "kms:CreateKey",
                                               "kms:DescribeKey",
                                               "kms:EnableKey",
                                               "kms:ScheduleKeyDeletion",
                                               "kms:TagResource",
                                               "macie2:GetMacieSession",
                                               "organizations:ListAccounts",
                                               "s3:CreateBucket",
                                               "s3:GetBucketLocation",
                                               "s3:GetBucketLogging",
                                               "s3:GetBucketObjectLockConfiguration",
                                               "s3:GetBucketPolicy",
                                               "s3:GetBucketPublicAccessBlock",
                                               "s3:GetBucketVersioning",
                                               "s3:GetEncryptionConfiguration",
                                               "s3:GetObject",
                                               "s3:GetObjectVersion",
                                               "s3:ListBucket",
                                               "s3:PutBucketLogging",
                                               "s3:PutBucketObjectLockConfiguration",
                                               "s3:PutBucketPolicy",
                                               "s3:PutBucketPublicAccessBlock",
                                               "s3:PutBucketVersioning",
                                               "s3:PutEncryptionConfiguration",
                                               "s3:PutObject",
                                               "securityhub:DescribeHub",
                                               "sns:CreateTopic",
                                               "sns:GetTopicAttributes",
                                               "sns:Publish",
                                               "sns:SetTopicAttributes",
                                               "sns:TagResource",
                                               "sqs:ChangeMessageVisibility",
                                               "sqs:CreateQueue",
                                               "sqs:DeleteMessage",
                                               "sqs:GetQueueAttributes",
                                               "sqs:GetQueueUrl",
                                               "sqs:ListQueueTags",
                                               "sqs:ReceiveMessage",
                                               "sqs:SetQueueAttributes",
                                               "sqs:TagQueue",
                                               "ssm:DescribeInstanceInformation",
                                               "ssm:GetCommandInvocation",
                                               "ssm:ListCommands",
                                               "ssm:SendCommand",
                                               "sts:AssumeRole",
                                               "sts:GetCallerIdentity"};
  return kNames;
}

Json PolicyOf(const std::string& command) {
  auto policy = PolicyFor({command});
  EXPECT_TRUE(policy) << command;
  return policy ? *policy : Json();
}

TEST(IamPolicyReference, EveryActionIsOneIamDefines) {
  for (const std::string& command : PolicyCommands()) {
    auto actions = ActionsFor(command);
    ASSERT_TRUE(actions) << command;
    EXPECT_FALSE(actions->empty()) << command;
    for (const std::string& a : *actions) EXPECT_TRUE(IamActionNames().count(a)) << command << ": " << a;
  }
}

// The S3 operations whose IAM action has another name: the API's name grants nothing on AWS.
TEST(IamPolicyReference, S3OperationsUseTheirIamNames) {
  const std::map<std::string, std::string> kIamNameOf = {
      {"s3:GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"},
      {"s3:PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"},
      {"s3:GetBucketEncryption", "s3:GetEncryptionConfiguration"},
      {"s3:PutBucketEncryption", "s3:PutEncryptionConfiguration"},
      {"s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
      {"s3:PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
      {"s3:HeadBucket", "s3:ListBucket"},
      {"s3:HeadObject", "s3:GetObject"},
      {"s3:ListObjectsV2", "s3:ListBucket"}};
  for (const std::string& command : PolicyCommands()) {
    auto actions = ActionsFor(command);
    ASSERT_TRUE(actions);
    for (const std::string& a : *actions) EXPECT_FALSE(kIamNameOf.count(a)) << command << ": " << a;
  }
  auto bucket = ActionsFor("evidence-bucket");
  ASSERT_TRUE(bucket);
  for (const char* a : {"s3:PutBucketObjectLockConfiguration", "s3:PutEncryptionConfiguration",
                        "s3:PutBucketPublicAccessBlock", "s3:PutBucketPolicy", "s3:PutBucketLogging"})
    EXPECT_TRUE(std::count(bucket->begin(), bucket->end(), a)) << a;
}

// iam:PassRole names the service it passes to (condition key iam:PassedToService): an instance
// profile's role goes only to EC2, never to a Lambda function or a stack the caller could then run as.
TEST(IamPolicyReference, PassRoleOnlyToEc2) {
  int seen = 0;
  for (const std::string& command : PolicyCommands()) {
    const Json policy = PolicyOf(command);
    for (const Json& st : policy["Statement"]) {
      bool passes = false;
      for (const Json& a : st["Action"]) passes = passes || a == "iam:PassRole";
      if (!passes) continue;
      ++seen;
      EXPECT_EQ(st["Action"].size(), 1u) << command;
      EXPECT_EQ(st["Condition"], (Json{{"StringEquals", {{"iam:PassedToService", "ec2.amazonaws.com"}}}}))
          << command;
    }
  }
  EXPECT_GE(seen, 3);  // contain, release, lab at least
}

// The profile changes are allowed only on an instance cordon holds. The reference lists `instance`
// as their only resource type and aws:ResourceTag/${TagKey} among its condition keys, so the
// condition can only deny an instance without cordon:case.
TEST(IamPolicyReference, InstanceProfileChangesNeedTheCaseTag) {
  const std::set<std::string> kInstanceOnly = {"ec2:AssociateIamInstanceProfile",
                                               "ec2:ReplaceIamInstanceProfileAssociation",
                                               "ec2:DisassociateIamInstanceProfile"};
  for (const char* command : {"contain", "release", "watch"}) {
    std::set<std::string> conditioned;
    const Json policy = PolicyOf(command);
    for (const Json& st : policy["Statement"]) {
      for (const Json& a : st["Action"]) {
        if (!kInstanceOnly.count(a.get<std::string>())) continue;
        EXPECT_EQ(st["Condition"], (Json{{"Null", {{"aws:ResourceTag/cordon:case", "false"}}}})) << command;
        conditioned.insert(a.get<std::string>());
      }
    }
    EXPECT_FALSE(conditioned.empty()) << command;
  }
}

TEST(IamPolicyReference, StatementIdsAreLettersAndDigits) {
  auto policy = PolicyFor(PolicyCommands());
  ASSERT_TRUE(policy);
  std::set<std::string> ids;
  for (const Json& st : (*policy)["Statement"]) {
    std::string sid = st["Sid"];
    for (char c : sid) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << sid;
    EXPECT_TRUE(ids.insert(sid).second) << "duplicate Sid " << sid;
  }
  EXPECT_TRUE(ids.count("CordonCaptureMemory"));
  EXPECT_TRUE(ids.count("CordonEvidenceBucket"));
}

}  // namespace
}  // namespace cordon::response
