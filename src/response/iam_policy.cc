#include "response/iam_policy.h"

#include <algorithm>
#include <set>

#include "response/cleanup/cleanup.h"
#include "response/lab/lab.h"
#include "response/recover/recover.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

// What target resolution (every command that takes a TARGET) calls.
constexpr std::string_view kResolve[] = {"ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces",
                                         "ec2:DescribeAddresses", "ec2:DescribeRegions"};
// Triage reads; owned by triage, listed here so one policy document covers every command.
constexpr std::string_view kTriage[] = {
    "ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeAddresses", "ec2:DescribeSecurityGroups", "ec2:DescribeVolumes", "ec2:DescribeInstanceTypes",
    "ec2:DescribeImages", "ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeRegions",
    "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth", "iam:GetInstanceProfile", "iam:GetRole",
    "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:GetRolePolicy",
    "ssm:DescribeInstanceInformation", "cloudtrail:LookupEvents", "config:DescribeConfigurationRecorders",
    "config:GetResourceConfigHistory",
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
// (GetObjectLockConfiguration), the export and the journal anchor, each object read back
// (HeadObject and GetObject of the version written) (cli/case_export_command.h).
constexpr std::string_view kEvidenceBucket[] = {"s3:GetObjectLockConfiguration", "s3:PutObject",
                                                "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"};

// What `cordon watch` calls on its queue, besides what contain calls for each event.
constexpr std::string_view kWatchQueue[] = {"sqs:ReceiveMessage", "sqs:DeleteMessage",
                                            "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility",
                                            "sns:Publish"};  // --notify

// The tag condition of a teardown action of `command`, or null when the action is not conditioned.
Json TeardownCondition(const std::string& command, const std::string& action) {
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

}  // namespace

const std::vector<std::string>& PolicyCommands() {
  static const std::vector<std::string> kNames = {"triage", "contain", "release", "preserve", "hunt",
                                                  "lab",    "cleanup", "recover", "watch",    "image"};
  return kNames;
}

Result<std::vector<std::string>> ActionsFor(const std::string& command) {
  std::set<std::string> actions;
  auto add = [&](std::span<const std::string_view> list) {
    for (std::string_view a : list) actions.emplace(a);
  };
  if (command != "triage" && command != "hunt") add(kEvidenceBucket);
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
  } else if (command == "lab") {
    for (const std::string& a : lab::LabIamActions()) actions.insert(a);
  } else if (command == "cleanup") {
    for (const std::string& a : cleanup::CleanupIamActions()) actions.insert(a);
  } else if (command == "recover") {
    for (const std::string& a : recover::RecoverIamActions()) actions.insert(a);
  } else {
    return MakeError(
        ErrorKind::kInvalidArgument,
        "no policy for '" + command +
            "' (known: triage, contain, release, preserve, hunt, lab, cleanup, recover, watch, image)");
  }
  return std::vector<std::string>(actions.begin(), actions.end());
}

Result<Json> PolicyFor(const std::vector<std::string>& commands) {
  Json statements = Json::array();
  for (const std::string& c : commands) {
    auto actions = ActionsFor(c);
    if (!actions) return MakeError(actions.error());
    std::string sid = "Cordon" + c;
    sid[6] = static_cast<char>(std::toupper(static_cast<unsigned char>(sid[6])));
    // What tears something down gets a statement of its own, allowed only on what carries the tags
    // cordon put on it (a suspect never carries cordon:role, so the lab cannot terminate it).
    std::vector<std::string> open;
    std::vector<Json> conditioned;
    for (const std::string& a : *actions) {
      Json condition = TeardownCondition(c, a);
      if (condition.is_null()) {
        open.push_back(a);
        continue;
      }
      conditioned.push_back(Json{{"Sid", sid + "Teardown" + std::to_string(conditioned.size() + 1)},
                                 {"Effect", "Allow"},
                                 {"Action", {a}},
                                 {"Resource", "*"},
                                 {"Condition", condition}});
    }
    statements.push_back(Json{{"Sid", sid}, {"Effect", "Allow"}, {"Action", open}, {"Resource", "*"}});
    for (Json& st : conditioned) statements.push_back(std::move(st));
  }
  return Json{{"Version", "2012-10-17"}, {"Statement", statements}};
}

}  // namespace cordon::response
