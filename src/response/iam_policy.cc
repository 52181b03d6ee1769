#include "response/iam_policy.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "base/strings.h"
#include "response/cleanup/cleanup.h"
#include "response/lab/lab.h"
#include "response/recover/recover.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

// What target resolution (every command that takes a TARGET) calls. ec2:DescribeRegions only with
// --all-regions (iam_reach.h), the one place target resolution lists the regions.
constexpr std::string_view kResolve[] = {"ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces",
                                         "ec2:DescribeAddresses"};
// Triage reads; owned by triage, listed here so one policy document covers every command.
// ec2:DescribeRegions only with --all-regions (iam_reach.h), as for every command that resolves.
constexpr std::string_view kTriage[] = {
    "ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeAddresses", "ec2:DescribeSecurityGroups", "ec2:DescribeVolumes", "ec2:DescribeInstanceTypes",
    "ec2:DescribeImages", "ec2:DescribeIamInstanceProfileAssociations",
    "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth", "iam:GetInstanceProfile", "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies", "iam:GetRolePolicy", "ssm:DescribeInstanceInformation", "cloudtrail:LookupEvents",
    "config:DescribeConfigurationRecorders", "config:GetResourceConfigHistory",
    // its share of `cordon posture` (the role's managed policies' documents)
    "iam:GetPolicy", "iam:GetPolicyVersion",
    // the hunt triage runs when log sources on S3 are configured
    "s3:ListBucket", "s3:GetObject"};

// Hunt reads log sources on S3 (and so does triage when log sources are configured); with
// --engine athena it runs queries, which read the tables through Glue and write results to the
// --athena-output bucket as the caller.
constexpr std::string_view kHunt[] = {"s3:ListBucket",
                                      "s3:GetObject",
                                      "s3:GetBucketLocation",
                                      "s3:PutObject",
                                      "athena:StartQueryExecution",
                                      "athena:GetQueryExecution",
                                      "athena:GetQueryResults",
                                      "athena:StopQueryExecution",
                                      "glue:GetDatabase",
                                      "glue:GetTable",
                                      "glue:GetPartitions"};

// What a command that changes a case calls on the case's evidence bucket: the write-once check
// (the API's GetObjectLockConfiguration, IAM's s3:GetBucketObjectLockConfiguration), the export and
// the journal anchor, each object read back (HeadObject and GetObject of the version written)
// (cli/case_export_command.h).
constexpr std::string_view kEvidenceBucket[] = {"s3:GetBucketObjectLockConfiguration", "s3:PutObject",
                                                "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"};

// `cordon evidence-bucket create` (response/bucket/bucket_create.cc), by IAM's names: S3's API names
// differ for several (PutBucketEncryption is s3:PutEncryptionConfiguration, PutObjectLockConfiguration
// s3:PutBucketObjectLockConfiguration, PutPublicAccessBlock s3:PutBucketPublicAccessBlock, HeadBucket
// s3:ListBucket), as the Service Authorization Reference for Amazon S3 lists them.
constexpr std::string_view kEvidenceBucketCreate[] = {"s3:CreateBucket",
                                                      "s3:ListBucket",
                                                      "s3:GetBucketVersioning",
                                                      "s3:PutBucketVersioning",
                                                      "s3:GetBucketObjectLockConfiguration",
                                                      "s3:PutBucketObjectLockConfiguration",
                                                      "s3:GetEncryptionConfiguration",
                                                      "s3:PutEncryptionConfiguration",
                                                      "s3:GetBucketPublicAccessBlock",
                                                      "s3:PutBucketPublicAccessBlock",
                                                      "s3:GetBucketPolicy",
                                                      "s3:PutBucketPolicy",
                                                      "s3:GetBucketLogging",
                                                      "s3:PutBucketLogging",
                                                      "s3:PutObject",
                                                      "s3:GetObject"};

// `cordon posture`: reads only (posture/), across the regions it is asked for.
constexpr std::string_view kPosture[] = {"ec2:DescribeRegions",
                                         "ec2:DescribeSecurityGroups",
                                         "ec2:DescribeNetworkInterfaces",
                                         "ec2:DescribeInstances",
                                         "ec2:DescribeVolumes",
                                         "ec2:DescribeVpcs",
                                         "ec2:DescribeFlowLogs",
                                         "ssm:DescribeInstanceInformation",
                                         "iam:GetInstanceProfile",
                                         "iam:ListRolePolicies",
                                         "iam:GetRolePolicy",
                                         "iam:ListAttachedRolePolicies",
                                         "iam:GetPolicy",
                                         "iam:GetPolicyVersion",
                                         "cloudtrail:DescribeTrails",
                                         "config:DescribeConfigurationRecorderStatus",
                                         "guardduty:ListDetectors",
                                         "guardduty:GetDetector",
                                         "securityhub:DescribeHub",
                                         "macie2:GetMacieSession",
                                         "inspector2:BatchGetAccountStatus",
                                         "inspector2:ListFindings",
                                         "sts:GetCallerIdentity"};

// `cordon automation deploy`: the stack, and what CloudFormation calls as the caller to create its
// resources (the create handler's permissions in the resource provider schemas of AWS::SQS::Queue,
// AWS::SQS::QueuePolicy, AWS::SNS::Topic and AWS::Events::Rule).
constexpr std::string_view kAutomationDeploy[] = {"cloudformation:CreateStack",
                                                  "cloudformation:DescribeStacks",
                                                  "sqs:CreateQueue",
                                                  "sqs:GetQueueUrl",
                                                  "sqs:GetQueueAttributes",
                                                  "sqs:SetQueueAttributes",
                                                  "sqs:ListQueueTags",
                                                  "sqs:TagQueue",
                                                  "sns:CreateTopic",
                                                  "sns:GetTopicAttributes",
                                                  "sns:SetTopicAttributes",
                                                  "sns:TagResource",
                                                  "events:PutRule",
                                                  "events:PutTargets",
                                                  "events:DescribeRule",
                                                  "events:ListTargetsByRule"};

// What `cordon watch` calls on its queue, besides what contain calls for each event.
constexpr std::string_view kWatchQueue[] = {"sqs:ReceiveMessage", "sqs:DeleteMessage",
                                            "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility",
                                            "sns:Publish"};  // --notify

// The calls on the suspect instance itself whose only resource is the instance (the Service
// Authorization Reference lists only `instance` for them): allowed only on an instance that carries
// cordon:case, which contain's claim sets before its first step and release keeps until its last undo
// (steps/steps.cc, instance_claim.h). A stolen responder key cannot then move the profile of an instance
// cordon does not hold. Not conditioned: ModifyInstanceAttribute (protect), whose resource types
// reach beyond the instance, so that a condition the reference does not promise can never deny
// termination protection in an incident; calls on resources cordon does not tag (the ENIs and
// groups of ModifyNetworkInterfaceAttribute, the new snapshots of CreateSnapshots).
constexpr std::string_view kOnTheHeldInstance[] = {"ec2:AssociateIamInstanceProfile",
                                                   "ec2:ReplaceIamInstanceProfileAssociation",
                                                   "ec2:DisassociateIamInstanceProfile"};

bool ActsOnTheHeldInstance(const std::string& command, const std::string& action) {
  if (command != "contain" && command != "watch" && command != "release") return false;
  return std::find(std::begin(kOnTheHeldInstance), std::end(kOnTheHeldInstance), action) !=
         std::end(kOnTheHeldInstance);
}

// The condition of `action` for `command`, or null when the action is not conditioned.
Json ActionCondition(const std::string& command, const std::string& action) {
  // An instance profile's role passes only to EC2 (IAM: iam:PassedToService).
  if (action == "iam:PassRole") return Json{{"StringEquals", {{"iam:PassedToService", "ec2.amazonaws.com"}}}};
  if (ActsOnTheHeldInstance(command, action))
    return Json{{"Null", {{"aws:ResourceTag/cordon:case", "false"}}}};
  if (command == "cleanup") {
    // The suspect carries cordon:case since contain's tag step; cordon's groups cordon:managed.
    if (action == "ec2:TerminateInstances") return Json{{"Null", {{"aws:ResourceTag/cordon:case", "false"}}}};
    if (action == "ec2:DeleteSecurityGroup")
      return Json{{"StringEquals", {{"aws:ResourceTag/cordon:managed", "true"}}}};
    return Json();
  }
  if (command != "lab") return Json();
  if (action == "ec2:TerminateInstances" || action == "ec2:DeleteVolume" || action == "ec2:DetachVolume")
    return Json{{"StringEquals", {{"aws:ResourceTag/cordon:role", {"lab", "forensic-workstation"}}}}};
  if (action == "ec2:DeleteSecurityGroup" || action == "cloudformation:DeleteStack")
    return Json{{"Null", {{"aws:ResourceTag/cordon:case", "false"}}}};
  // Only the lab's copies of the snapshots and the case key: never a case snapshot (evidence).
  if (action == "ec2:DeleteSnapshot" || action == "kms:ScheduleKeyDeletion")
    return Json{{"StringEquals", {{"aws:ResourceTag/cordon:role", "lab"}}}};
  return Json();
}

// "Cordon" and the command in CamelCase: IAM allows only letters and digits in a Sid.
std::string StatementId(const std::string& command) {
  std::string sid = "Cordon";
  bool upper = true;
  for (char ch : command) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      upper = true;
      continue;
    }
    sid += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return sid;
}

}  // namespace

const std::vector<std::string>& PolicyCommands() {
  static const std::vector<std::string> kNames = {
      "triage",  "contain", "release",        "preserve",        "hunt",
      "lab",     "cleanup", "recover",        "watch",           "image",
      "posture", "case",    "capture-memory", "evidence-bucket", "automation"};
  return kNames;
}

Result<std::vector<std::string>> ActionsFor(const std::string& command) {
  std::set<std::string> actions;
  auto add = [&](std::span<const std::string_view> list) {
    for (std::string_view a : list) actions.emplace(a);
  };
  if (command != "triage" && command != "hunt" && command != "posture" && command != "automation")
    add(kEvidenceBucket);
  if (command == "triage") {
    add(kTriage);
  } else if (command == "contain" || command == "watch") {
    if (command == "watch") add(kWatchQueue);
    add(kResolve);
    add(InstanceClaimIam());
    for (const StepInfo& s : ContainSteps()) add(s.iam_actions);
  } else if (command == "release") {
    // The drift check reads the instance itself (terminated? still there?) before anything is undone.
    actions.emplace("ec2:DescribeInstances");
    for (const StepInfo& s : ContainSteps()) add(s.undo_iam_actions);
  } else if (command == "preserve") {
    add(kResolve);
    add(PreserveSnapshotStep().iam_actions);
    add(ContainSteps()[0].iam_actions);  // the metadata and the pre-state are recorded too
  } else if (command == "hunt") {
    add(kHunt);
  } else if (command == "image") {
    // The EBS direct APIs' reads; s3:PutObject covers the multipart upload's calls and s3:GetObject
    // the HeadObject that checks the object afterwards.
    for (const char* a : {"ebs:ListSnapshotBlocks", "ebs:GetSnapshotBlock", "s3:PutObject", "s3:GetObject"})
      actions.emplace(a);
  } else if (command == "capture-memory") {
    // contain --capture-memory's own share, for a role that may capture but not contain.
    add(kResolve);
    add(InstanceClaimIam());
    for (const StepInfo& s : ContainSteps())
      if (s.name == "capture-memory" || s.name == "record-pre-state") add(s.iam_actions);
  } else if (command == "posture") {
    add(kPosture);
  } else if (command == "case") {
    // case export and case verify: the evidence bucket only (added above).
  } else if (command == "evidence-bucket") {
    add(kEvidenceBucketCreate);
  } else if (command == "automation") {
    add(kAutomationDeploy);
  } else if (command == "lab") {
    for (const std::string& a : lab::LabIamActions()) actions.insert(a);
  } else if (command == "cleanup") {
    for (const std::string& a : cleanup::CleanupIamActions()) actions.insert(a);
  } else if (command == "recover") {
    for (const std::string& a : recover::RecoverIamActions()) actions.insert(a);
  } else if (command == "organization") {
    // Before --organization was a flag of iam-policy, a pseudo-command that allowed AssumeRole on
    // every role of every account.
    return MakeError(ErrorKind::kInvalidArgument,
                     "no policy for 'organization': give the flags of the command that will run, e.g. "
                     "--for contain --organization --role-name ROLE");
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "no policy for '" + command + "' (known: " + Join(PolicyCommands(), ", ") + ")");
  }
  return std::vector<std::string>(actions.begin(), actions.end());
}

Result<Json> PolicyFor(const std::vector<std::string>& commands, const PolicyReach& reach) {
  if (Status checked = CheckReach(commands, reach); !checked) return MakeError(checked.error());
  Json statements = Json::array();
  for (const std::string& c : commands) {
    auto actions = ActionsFor(c);
    if (!actions) return MakeError(actions.error());
    std::string sid = StatementId(c);
    // What tears something down or changes the suspect gets a statement of its own, allowed only on
    // what carries the tags cordon put on it (a suspect never carries cordon:role, so the lab cannot
    // terminate it); a role passes only to EC2. Actions under the same condition share a statement.
    std::vector<std::string> open;
    std::vector<std::pair<Json, std::vector<std::string>>> conditioned;
    for (const std::string& a : *actions) {
      Json condition = ActionCondition(c, a);
      if (condition.is_null()) {
        open.push_back(a);
        continue;
      }
      auto same = std::find_if(conditioned.begin(), conditioned.end(),
                               [&](const auto& g) { return g.first == condition; });
      if (same == conditioned.end()) {
        conditioned.emplace_back(condition, std::vector<std::string>());
        same = std::prev(conditioned.end());
      }
      same->second.push_back(a);
    }
    statements.push_back(Json{{"Sid", sid}, {"Effect", "Allow"}, {"Action", open}, {"Resource", "*"}});
    for (size_t i = 0; i < conditioned.size(); ++i)
      statements.push_back(Json{{"Sid", sid + "Scoped" + std::to_string(i + 1)},
                                {"Effect", "Allow"},
                                {"Action", conditioned[i].second},
                                {"Resource", "*"},
                                {"Condition", conditioned[i].first}});
  }
  for (Json& st : ReachStatements(commands, reach)) statements.push_back(std::move(st));
  return Json{{"Version", "2012-10-17"}, {"Statement", statements}};
}

}  // namespace cordon::response
