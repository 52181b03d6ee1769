// The real attack logs in tests/data/cloudtrail (Stratus Red Team detonations, the Invictus attack
// simulation) against the 57 SigmaHQ CloudTrail rules and the 8 legacy rules rewritten as correlations,
// run as `cordon hunt --sigma` runs them (the scan, then the correlations). The table says, per log, which
// rules fire and why; the pins say which rules the technique should fire but cannot, on real CloudTrail,
// and why. A rule is named by its file (one rule, or one correlation, per file).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma_correlate.h"
#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::TestData;

const std::string kStratusDir = "cloudtrail/stratus-red-team/docs/detonation-logs/";
const std::string kStratus = kStratusDir + "aws.";

struct Fires {
  std::string log;  // under tests/data/
  std::set<std::string> rules;
  const char* why;
};

struct CannotFire {
  std::string log;  // a Stratus log: a JSON array of records
  std::string rule;
  std::string event;  // the eventName of the technique's record, which must be in the log
  const char* why;
};

// Exactly what fires on each log: every rule the technique should fire, and anything else with the
// reason it fires too.
std::vector<Fires> Table() {
  return {
      // Credential access.
      {kStratus + "credential-access.ec2-get-password-data.json",
       {"aws_enum_backup", "aws_sts_assumerole_misuse"},
       "30 GetPasswordData calls in a minute by one role session: the backup-enumeration correlation "
       "(GetPasswordData is one of its calls, more than 5 in 10m); the calls are made by a role Stratus "
       "assumed (AssumedRole with a Role issuer)"},
      {kStratus + "credential-access.ec2-steal-instance-credentials.json",
       {"aws_cloudtrail_ssm_malicious_usage", "aws_sts_assumerole_misuse"},
       "the technique runs its command on the instance with ssm:SendCommand (succeeded), then uses the "
       "instance role's credentials (GetCallerIdentity, DescribeInstances as the assumed role)"},
      {kStratus + "credential-access.secretsmanager-batch-retrieve-secrets.json",
       {},
       "no SigmaHQ CloudTrail rule covers BatchGetSecretValue"},
      {kStratus + "credential-access.secretsmanager-retrieve-secrets.json",
       {},
       "no SigmaHQ CloudTrail rule covers GetSecretValue or ListSecrets"},
      {kStratus + "credential-access.ssm-retrieve-securestring-parameters.json",
       {},
       "no SigmaHQ CloudTrail rule covers ssm GetParameters / DescribeParameters"},
      // Defense evasion.
      {kStratus + "defense-evasion.cloudtrail-delete.json",
       {"aws_cloudtrail_disable_logging"},
       "DeleteTrail is one of the rule's three events"},
      {kStratus + "defense-evasion.cloudtrail-event-selectors.json",
       {},
       "the rule for trail tampering lists StopLogging, UpdateTrail, DeleteTrail, not PutEventSelectors"},
      {kStratus + "defense-evasion.cloudtrail-stop.json",
       {"aws_cloudtrail_disable_logging"},
       "StopLogging is one of the rule's three events"},
      {kStratus + "defense-evasion.dns-delete-logs.json",
       {},
       "no SigmaHQ CloudTrail rule covers route53resolver DeleteResolverQueryLogConfig"},
      {kStratus + "defense-evasion.organizations-leave.json",
       {"aws_sts_assumerole_misuse"},
       "no rule covers LeaveOrganization; the call is made by a role Stratus assumed"},
      {kStratus + "defense-evasion.vpc-remove-flow-logs.json",
       {"aws_cloudtrail_vpc_flow_logs_deleted"},
       "DeleteFlowLogs"},
      // Discovery and execution.
      {kStratus + "discovery.ec2-download-user-data.json",
       {"aws_ec2_download_userdata", "aws_sts_assumerole_misuse"},
       "15 DescribeInstanceAttribute userData calls in seconds by one role session: the rewritten legacy "
       "rule (more than 10 in 30m per identity); made by a role Stratus assumed"},
      {kStratus + "execution.ec2-launch-unusual-instances.json",
       {"aws_sts_assumerole_misuse"},
       "no rule covers RunInstances of unusual types; the call is made by a role Stratus assumed"},
      {kStratus + "execution.ec2-user-data.json",
       {},
       "the startup-script rule cannot match (see the pins); nothing else covers ModifyInstanceAttribute"},
      {kStratus + "execution.ssm-send-command.json",
       {"aws_cloudtrail_ssm_malicious_usage"},
       "SendCommand that succeeded (no errorCode)"},
      {kStratus + "execution.ssm-start-session.json",
       {},
       "no SigmaHQ CloudTrail rule covers ssm StartSession"},
      // Exfiltration and impact.
      {kStratus + "exfiltration.ec2-security-group-open-port-22-ingress.json",
       {"aws_cloudtrail_security_group_change_ingress_egress"},
       "AuthorizeSecurityGroupIngress"},
      {kStratus + "exfiltration.ec2-share-ami.json",
       {},
       "no SigmaHQ CloudTrail rule covers ModifyImageAttribute"},
      {kStratus + "exfiltration.ec2-share-ebs-snapshot.json",
       {"aws_snapshot_backup_exfiltration"},
       "ModifySnapshotAttribute (sharing the snapshot with another account)"},
      {kStratus + "exfiltration.rds-share-snapshot.json",
       {},
       "no SigmaHQ CloudTrail rule covers rds ModifyDBSnapshotAttribute"},
      {kStratus + "impact.bedrock-invoke-model.json",
       {"aws_sts_assumerole_misuse"},
       "no rule covers bedrock InvokeModel (the guardrail rules want Update/DeleteGuardrail); every call "
       "is made by an assumed role"},
      // Initial access and lateral movement.
      {kStratus + "initial-access.console-login-without-mfa.json",
       {"aws_cloudtrail_console_login_success_without_mfa"},
       "ConsoleLogin Success with additionalEventData.MFAUsed NO (the failed-login rule wants Failure)"},
      {kStratus + "lateral-movement.ec2-instance-connect.json",
       {},
       "no SigmaHQ CloudTrail rule covers ec2-instance-connect SendSSHPublicKey"},
      {kStratus + "lateral-movement.ec2-serial-console-send-ssh-public-key.json",
       {"aws_sts_assumerole_misuse"},
       "no rule covers EnableSerialConsoleAccess / SendSerialConsoleSSHPublicKey; the calls are made by an "
       "SSO role session"},
      // Persistence and privilege escalation.
      {kStratus + "persistence.iam-backdoor-role.json",
       {},
       "no SigmaHQ CloudTrail rule covers UpdateAssumeRolePolicy"},
      {kStratus + "persistence.iam-backdoor-user.json",
       {"aws_iam_backdoor_users_keys"},
       "CreateAccessKey for another user than the caller (the S3 Browser rule wants its user agent)"},
      {kStratus + "persistence.iam-create-admin-user.json",
       {"aws_iam_backdoor_users_keys"},
       "CreateAccessKey for the new user, by another user (the S3 Browser rule wants its user agent)"},
      {kStratus + "persistence.iam-create-backdoor-role.json",
       {},
       "no SigmaHQ CloudTrail rule covers CreateRole / AttachRolePolicy"},
      {kStratus + "persistence.iam-create-user-login-profile.json",
       {},
       "the only CreateLoginProfile rule wants the S3 Browser user agent (see the pins)"},
      {kStratus + "persistence.lambda-backdoor-function.json",
       {},
       "no SigmaHQ CloudTrail rule covers lambda AddPermission (the URL rule wants CreateFunctionUrlConfig)"},
      {kStratus + "persistence.lambda-layer-extension.json",
       {"aws_new_lambda_layer_attached"},
       "UpdateFunctionConfiguration20150331v2 with requestParameters.layers"},
      {kStratus + "persistence.lambda-overwrite-code.json",
       {},
       "no SigmaHQ CloudTrail rule covers UpdateFunctionCode"},
      {kStratus + "persistence.rolesanywhere-create-trust-anchor.json",
       {},
       "no SigmaHQ CloudTrail rule covers rolesanywhere CreateTrustAnchor"},
      {kStratus + "persistence.sts-federation-token.json",
       {},
       "no rule covers GetFederationToken; the TruffleHog rule wants its user agent on GetCallerIdentity"},
      {kStratus + "privilege-escalation.iam-update-user-login-profile.json",
       {"aws_update_login_profile"},
       "UpdateLoginProfile of another user"},
      // Whole attack simulations.
      {"cloudtrail/invictus-aws-dataset/CloudTrail",
       {"aws_cloudtrail_bucket_deleted", "aws_cloudtrail_console_login_success_without_mfa",
        "aws_cloudtrail_disable_logging", "aws_cloudtrail_new_route_added",
        "aws_cloudtrail_security_group_change_ingress_egress", "aws_cloudtrail_ssm_malicious_usage",
        "aws_cloudtrail_vpc_flow_logs_deleted", "aws_ec2_download_userdata", "aws_enum_backup",
        "aws_enum_buckets", "aws_enum_listing", "aws_enum_storage", "aws_iam_backdoor_users_keys",
        "aws_snapshot_backup_exfiltration", "aws_sts_assumerole_misuse"},
       "the Stratus techniques run one after another (StopLogging/DeleteTrail, DeleteFlowLogs, "
       "AuthorizeSecurityGroupIngress, SendCommand, CreateAccessKey, ModifySnapshotAttribute, 25 userData "
       "downloads, 29 GetPasswordData, console logins without MFA), the instance-role sessions, and the "
       "Terraform set-up and clean-up around them: CreateRoute for the lab VPC, DeleteBucket, over 50 List* "
       "calls and S3 bucket-configuration reads (GetBucketTagging, GetBucketCors, ...) by one user in 10m, "
       "ListBuckets by IAM users"},
      {"cloudtrail/otrf-security-datasets",
       {"aws_enum_backup", "aws_sts_assumerole_misuse"},
       "the attacker uses the proxy's stolen role credentials (AssumedRole: the ListBuckets are by the role, "
       "so aws_enum_buckets' filter leaves them out); pedro's console browsing of EC2 calls DescribeVolumes, "
       "DescribeImages, DescribeSnapshotAttribute more than 5 times in 10m"},
  };
}

std::vector<CannotFire> Pins() {
  return {
      {kStratus + "execution.ec2-user-data.json", "aws_ec2_startup_script_change", "ModifyInstanceAttribute",
       "the technique replaces the user data with ModifyInstanceAttribute, but CloudTrail records it as "
       "requestParameters.userData while the rule wants requestParameters.attribute: userData (the form "
       "of DescribeInstanceAttribute): it cannot match a real record"},
      {kStratus + "persistence.iam-create-user-login-profile.json", "aws_iam_s3browser_loginprofile_creation",
       "CreateLoginProfile",
       "the technique creates a login profile, but the only rule for CreateLoginProfile wants the S3 Browser "
       "tool's user agent, which the detonation does not have: it fires on the tool, not the technique"},
  };
}

struct Loaded {
  sigma::LoadedRules loaded;
  sigma::RuleSet set;
};

const Loaded& Rules() {
  static const Loaded* rules = [] {
    Result<sigma::LoadedRules> loaded =
        sigma::LoadRules({TestData("sigma/rules/cloud/aws/cloudtrail"), TestData("sigma/correlations")});
    if (!loaded) throw std::runtime_error(loaded.error().message);
    std::vector<sigma::Rule> copy = loaded->rules;
    return new Loaded{std::move(*loaded), sigma::RuleSet(std::move(copy))};
  }();
  return *rules;
}

// The file stems of the rules and correlations that fire on `log`.
std::set<std::string> FiredOn(const std::string& log) {
  ScanOptions options;
  options.threads = 2;
  options.cloudtrail.sigma = &Rules().set;
  HuntResults r = testing::Hunt(Selectors{}, {{LogKind::kCloudTrail, TestData(log)}}, options);
  CorrelateSigmaMatches(Rules().loaded.correlations, &r);
  std::set<std::string> fired;
  for (const SigmaMatch& m : r.sigma_matches)
    fired.insert(std::filesystem::path(m.rule->file).stem().string());
  for (const SigmaCorrelation& c : r.sigma_correlations) {
    fired.insert(std::filesystem::path(c.rule.file).stem().string());
  }
  return fired;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += x + " ";
  return out;
}

TEST(SigmaAttackLogs, TheRulesAndCorrelationsLoad) {
  EXPECT_EQ(Rules().loaded.rules.size(), 57u + 10u);  // 10 base rules of the 8 correlations
  EXPECT_EQ(Rules().loaded.correlations.size(), 8u);
  for (const sigma::SkippedRule& s : Rules().loaded.skipped) ADD_FAILURE() << s.file << ": " << s.reason;
}

TEST(SigmaAttackLogs, EachLogFiresTheRulesOfItsTechnique) {
  for (const Fires& f : Table()) {
    SCOPED_TRACE(f.log + ": " + f.why);
    const std::set<std::string> fired = FiredOn(f.log);
    EXPECT_EQ(fired, f.rules) << "fired: " << Join(fired);
  }
}

TEST(SigmaAttackLogs, RulesThatCannotMatchRealCloudTrailDoNotFire) {
  for (const CannotFire& p : Pins()) {
    SCOPED_TRACE(p.log + ": " + p.why);
    EXPECT_EQ(FiredOn(p.log).count(p.rule), 0u);
    const nlohmann::json records = nlohmann::json::parse(testing::ReadFile(TestData(p.log)));
    EXPECT_TRUE(std::any_of(records.begin(), records.end(),
                            [&](const nlohmann::json& r) { return r["eventName"] == p.event; }))
        << "the log does not hold the technique's " << p.event << ": the pin shows nothing";
  }
}

// Every Stratus log copied is in the table: a new log needs its expectation.
TEST(SigmaAttackLogs, EveryStratusLogIsInTheTable) {
  std::set<std::string> listed;
  for (const Fires& f : Table()) listed.insert(std::filesystem::path(f.log).filename().string());
  for (const auto& entry :
       std::filesystem::directory_iterator(TestData(kStratus).substr(0, TestData(kStratus).size() - 4))) {
    EXPECT_EQ(listed.count(entry.path().filename().string()), 1u) << entry.path();
  }
}

}  // namespace
}  // namespace cordon::hunt
