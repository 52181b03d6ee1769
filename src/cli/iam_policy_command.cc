#include "cli/iam_policy_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_output.h"
#include "response/iam_policy.h"

namespace cordon::cli {

namespace {

struct IamPolicyFlags {
  std::string which = "triage,contain,release,preserve";
  response::PolicyReach reach;  // --accounts, --organization, --role-name, --all-regions, --partition
  ResultFlags result;           // --output (default json: the policy is a document to paste), --query
};

// The policy printed is the caller's; the role assumed in each other account needs the commands'
// own policy (with --all-regions, which each account's regions are listed with), and must trust the
// caller's account. Said on stderr, so stdout stays one document to paste.
void SayWhatTheRoleNeeds(const IamPolicyFlags& f) {
  if (f.reach.accounts.empty() && !f.reach.organization) return;
  std::string member = "cordon iam-policy --for " + f.which + (f.reach.all_regions ? " --all-regions" : "");
  if (f.reach.partition != "aws") member += " --partition " + f.reach.partition;
  PrintInfo("this is the caller's policy; the role " + f.reach.role_name + " in each " +
            (f.reach.organization ? "account of the organization" : "of the accounts") + " needs `" + member +
            "`, and a trust policy that lets this account assume it");
}

int IamPolicy(const IamPolicyFlags& f) {
  const std::string& which = f.which;
  std::vector<std::string> commands;
  for (const std::string& part : Split(which, ',')) {
    std::string c(Trim(part));
    if (!c.empty()) commands.push_back(c);
  }
  auto policy = response::PolicyFor(commands, f.reach);
  if (!policy) return ReportError(policy.error());
  SayWhatTheRoleNeeds(f);
  return PrintResult(*policy, f.result);
}

}  // namespace

CommandBody SetupIamPolicy(CLI::App& app) {
  app.description(
      "Print the least-privilege IAM policy the response commands need (built from the step table).");
  auto f = std::make_shared<IamPolicyFlags>();
  app.add_option("--for", f->which,
                 "comma-separated commands: " + Join(response::PolicyCommands(), ", ") +
                     "\n(default: triage,contain,release,preserve)");
  // The flags of the command the responder will run, so that the policy is the one it needs.
  app.add_option("--accounts", f->reach.accounts,
                 "the run's --accounts: sts:AssumeRole of --role-name in each (comma-separated ids)")
      ->delimiter(',');
  app.add_flag(
      "--organization", f->reach.organization,
      "the run's --organization: organizations:ListAccounts and sts:AssumeRole of --role-name in any "
      "account");
  app.add_option("--role-name", f->reach.role_name, "the run's --role-name");
  app.add_flag("--all-regions", f->reach.all_regions, "the run's --all-regions: ec2:DescribeRegions");
  app.add_option("--partition", f->reach.partition, "the partition of the role ARNs: aws, aws-cn, aws-us-gov")
      ->default_str("aws");
  f->result.output = "json";
  AddResultFlags(app, &f->result, "the policy");
  return {[f](const CommandContext&) { return IamPolicy(*f); }, [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli
