// What the caller's own policy needs beyond a command's actions when a run reaches past the
// profile's account and region: --accounts or --organization with --role-name (and release of a case
// whose targets are in other accounts), and --all-regions.
//
// Where each statement goes: the caller (the responder's identity in the account the run starts in)
// searches its own account too, so it holds the command's policy and these statements. The role
// assumed in each other account (--role-name) holds the command's plain policy (`cordon iam-policy
// --for contain`): it makes the command's calls there and assumes nothing further.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

struct PolicyReach {
  std::vector<std::string> accounts;  // --accounts: 12-digit ids
  bool organization = false;          // --organization: the accounts are not known beforehand
  std::string role_name;              // --role-name, with --accounts or --organization
  bool all_regions = false;           // --all-regions
  std::string partition = "aws";      // the ARNs' partition: aws, aws-cn or aws-us-gov

  bool Empty() const { return accounts.empty() && !organization && !all_regions; }
};

// kInvalidArgument, saying what to give instead, when the reach does not go with `commands` (as the
// commands themselves refuse: --accounts or --organization without --role-name, both together, an
// account id that is not 12 digits, a flag for a command that does not take it, an unknown partition).
Status CheckReach(const std::vector<std::string>& commands, const PolicyReach& reach);

// The caller's statements for `reach` (none when it is Empty), each scoped as the Service
// Authorization Reference allows:
//   CordonAssumeRole   sts:AssumeRole on arn:PARTITION:iam::ACCOUNT:role/ROLE for each of --accounts,
//                      or on arn:PARTITION:iam::*:role/ROLE for --organization, only with a session
//                      name cordon gives (sts:RoleSessionName "cordon-*", SessionNameFor);
//   CordonListAccounts organizations:ListAccounts and sts:GetCallerIdentity, on "*";
//   CordonAllRegions   ec2:DescribeRegions, on "*".
Json ReachStatements(const std::vector<std::string>& commands, const PolicyReach& reach);

// The commands whose runs reach other accounts (contain, preserve, capture-memory, and release of what
// they contained there) and every region (triage, contain, preserve, capture-memory).
bool TakesAccounts(const std::string& command);
bool TakesAllRegions(const std::string& command);

}  // namespace cordon::response
