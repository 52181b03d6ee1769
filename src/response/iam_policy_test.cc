// cordon iam-policy against the AWS Service Authorization Reference, by a hand-written table: moto's
// IAM enforcement checks only that an action is allowed, by the API's name (it ignores resources and
// conditions, and authorizes S3 by operation name: GetObjectLockConfiguration where IAM says
// s3:GetBucketObjectLockConfiguration), so these facts of real IAM are checked here.
#include "response/iam_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
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

bool Grants(const std::vector<std::string>& actions, const std::string& action) {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

// What tests/integration/policy_coverage_test.py saw called and the policies lacked: each read
// degrades quietly when refused (a gap in the pre-state, the fleet read falling back), so running
// under the policy in IAM-enforcing moto did not fail.
TEST(IamPolicyCoverage, ThePreStateReadsTheWholeInventory) {
  for (const char* command : {"contain", "watch", "preserve", "capture-memory"}) {
    auto actions = ActionsFor(command);
    ASSERT_TRUE(actions) << command;
    for (const char* a : {"ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeSecurityGroups",
                          "autoscaling:DescribeAutoScalingGroups", "iam:ListAttachedRolePolicies",
                          "iam:ListRolePolicies", "ssm:DescribeInstanceInformation"})
      EXPECT_TRUE(Grants(*actions, a)) << command << " lacks " << a;
  }
}

TEST(IamPolicyCoverage, CleanupLooksForTheLabsCaseKey) {
  auto actions = ActionsFor("cleanup");
  ASSERT_TRUE(actions);
  EXPECT_TRUE(Grants(*actions, "kms:DescribeKey"));
}

// Granted and never called: triage lists the regions only with --all-regions, and reads no role.
TEST(IamPolicyCoverage, TriageGrantsNothingItDoesNotCall) {
  auto plain = ActionsFor("triage");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(Grants(*plain, "ec2:DescribeRegions"));
  EXPECT_FALSE(Grants(*plain, "iam:GetRole"));
  PolicyReach all_regions;
  all_regions.all_regions = true;
  auto policy = PolicyFor({"triage"}, all_regions);
  ASSERT_TRUE(policy);
  bool lists = false;
  for (const Json& st : (*policy)["Statement"])
    for (const Json& a : st["Action"]) lists = lists || a == "ec2:DescribeRegions";
  EXPECT_TRUE(lists);
}

// --accounts, --organization, --role-name and --all-regions (iam_reach.h): what they add to the
// caller's policy, against the reference by a hand-written table. moto checks the resource of
// sts:AssumeRole only as a string match and no condition key but sts:ExternalId.
// Per action the reach statements may hold, from docs.aws.amazon.com/service-authorization/latest/
// reference/: list_awssecuritytokenservice.html (AssumeRole: resource type role*, whose ARN is
// arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}; condition keys include
// sts:RoleSessionName; GetCallerIdentity: no resource type), list_awsorganizations.html (ListAccounts:
// no resource type) and list_amazonec2.html (DescribeRegions: no resource type). An empty pattern:
// the action has no resource type, so the statement must say "*".
struct ReferenceRow {
  std::string arn_pattern;
  std::set<std::string> condition_keys;
};
const std::map<std::string, ReferenceRow>& Reference() {
  static const std::map<std::string, ReferenceRow> kRows = {
      {"sts:AssumeRole",
       {R"(arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|\*):role/[\w+=,.@/-]+)",
        {"sts:RoleSessionName", "sts:ExternalId", "sts:SourceIdentity", "sts:TransitiveTagKeys",
         "aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:ResourceTag/${TagKey}"}}},
      {"sts:GetCallerIdentity", {"", {}}},
      {"organizations:ListAccounts", {"", {}}},
      {"ec2:DescribeRegions", {"", {}}}};
  return kRows;
}

PolicyReach Reach(std::vector<std::string> accounts, bool organization, bool all_regions) {
  PolicyReach r;
  r.accounts = std::move(accounts);
  r.organization = organization;
  r.all_regions = all_regions;
  r.role_name = r.accounts.empty() && !organization ? "" : "IR";
  return r;
}

// Each statement's actions, resources and condition keys, as the reference allows them.
void ExpectAllowedByTheReference(const Json& statements) {
  for (const Json& st : statements) {
    for (const Json& action : st["Action"]) {
      auto row = Reference().find(action.get<std::string>());
      ASSERT_NE(row, Reference().end()) << action;
      const Json resources = st["Resource"].is_array() ? st["Resource"] : Json::array({st["Resource"]});
      for (const Json& r : resources) {
        if (row->second.arn_pattern.empty()) {
          EXPECT_EQ(r, "*") << action;
        } else {
          EXPECT_NE(r, "*") << action << ": the reference allows scoping it";
          EXPECT_TRUE(std::regex_match(r.get<std::string>(), std::regex(row->second.arn_pattern))) << r;
        }
      }
      if (!st.contains("Condition")) continue;
      for (const Json& keys : st["Condition"])  // {"StringLike": {KEY: VALUE, ...}, ...}
        for (auto key = keys.begin(); key != keys.end(); ++key)
          EXPECT_TRUE(row->second.condition_keys.count(key.key())) << key.key();
    }
  }
}

const Json* StatementOf(const Json& policy, const std::string& sid) {
  for (const Json& st : policy["Statement"])
    if (st["Sid"] == sid) return &st;
  return nullptr;
}

TEST(IamReach, AccountsAssumeTheRoleInEachAccountNamedOnly) {
  auto policy = PolicyFor({"contain"}, Reach({"111111111111", "222222222222"}, false, false));
  ASSERT_TRUE(policy) << policy.error().ToString();
  const Json* assume = StatementOf(*policy, "CordonAssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ((*assume)["Action"], Json::array({"sts:AssumeRole"}));
  EXPECT_EQ((*assume)["Resource"],
            Json::array({"arn:aws:iam::111111111111:role/IR", "arn:aws:iam::222222222222:role/IR"}));
  EXPECT_EQ((*assume)["Condition"], (Json{{"StringLike", {{"sts:RoleSessionName", "cordon-*"}}}}));
  EXPECT_EQ(StatementOf(*policy, "CordonListAccounts"), nullptr);  // --accounts lists nothing
  ExpectAllowedByTheReference(ReachStatements({"contain"}, Reach({"111111111111"}, false, false)));
}

TEST(IamReach, OrganizationAssumesTheRoleByNameAndListsAccounts) {
  auto policy = PolicyFor({"contain"}, Reach({}, true, false));
  ASSERT_TRUE(policy);
  const Json* assume = StatementOf(*policy, "CordonAssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ((*assume)["Resource"], Json::array({"arn:aws:iam::*:role/IR"}));
  const Json* list = StatementOf(*policy, "CordonListAccounts");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ((*list)["Action"], (Json::array({"organizations:ListAccounts", "sts:GetCallerIdentity"})));
  ExpectAllowedByTheReference(ReachStatements({"contain", "preserve"}, Reach({}, true, true)));
  // The command's own statements are still there: the caller searches its own account too.
  EXPECT_NE(StatementOf(*policy, "CordonContain"), nullptr);
}

TEST(IamReach, ReleaseAssumesTheRecordedRolesButListsNothing) {
  auto policy = PolicyFor({"release"}, Reach({}, true, false));
  ASSERT_TRUE(policy);
  EXPECT_NE(StatementOf(*policy, "CordonAssumeRole"), nullptr);
  EXPECT_EQ(StatementOf(*policy, "CordonListAccounts"), nullptr);
}

TEST(IamReach, AllRegionsAloneAddsDescribeRegions) {
  auto plain = ActionsFor("contain");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(std::count(plain->begin(), plain->end(), "ec2:DescribeRegions"));
  auto policy = PolicyFor({"contain"}, Reach({}, false, true));
  ASSERT_TRUE(policy);
  const Json* regions = StatementOf(*policy, "CordonAllRegions");
  ASSERT_NE(regions, nullptr);
  EXPECT_EQ((*regions)["Action"], Json::array({"ec2:DescribeRegions"}));
  EXPECT_EQ(StatementOf(*policy, "CordonAssumeRole"), nullptr);
}

TEST(IamReach, PartitionNamesTheArns) {
  PolicyReach r = Reach({"111111111111"}, false, false);
  r.partition = "aws-cn";
  Json st = ReachStatements({"contain"}, r);
  EXPECT_EQ(st[0]["Resource"], Json::array({"arn:aws-cn:iam::111111111111:role/IR"}));
  ExpectAllowedByTheReference(st);
}

TEST(IamReach, WhatTheCommandsRefuseIsRefused) {
  auto refused = [](const std::vector<std::string>& commands, const PolicyReach& r, const std::string& says) {
    auto policy = PolicyFor(commands, r);
    ASSERT_FALSE(policy);
    EXPECT_EQ(policy.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(policy.error().message.find(says), std::string::npos) << policy.error().message;
  };
  PolicyReach no_role = Reach({"111111111111"}, false, false);
  no_role.role_name.clear();
  refused({"contain"}, no_role, "--accounts needs --role-name");
  PolicyReach both = Reach({"111111111111"}, true, false);
  refused({"contain"}, both, "mutually exclusive");
  refused({"contain"}, Reach({"1111"}, false, false), "12 digits");
  refused({"hunt"}, Reach({}, true, false), "does not go with hunt");
  refused({"release"}, Reach({}, false, true), "--all-regions does not go with release");
  PolicyReach role_alone;
  role_alone.role_name = "IR";
  refused({"contain"}, role_alone, "--role-name goes with");
  PolicyReach partition = Reach({}, true, false);
  partition.partition = "aws-iso";
  refused({"contain"}, partition, "--partition");
  auto organization = ActionsFor("organization");
  ASSERT_FALSE(organization);
  EXPECT_NE(organization.error().message.find("--organization --role-name"), std::string::npos);
}

}  // namespace
}  // namespace cordon::response
