#include "response/iam_reach.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace cordon::response {
namespace {

bool Any(const std::vector<std::string>& commands, bool (*pred)(const std::string&)) {
  return std::any_of(commands.begin(), commands.end(), pred);
}

bool ListsTheOrganization(const std::string& command) {
  return command != "release" && TakesAccounts(command);
}

bool IsAccountId(const std::string& text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(),
                                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The first of `commands` that `pred` refuses, or empty.
std::string FirstNot(const std::vector<std::string>& commands, bool (*pred)(const std::string&)) {
  auto it = std::find_if(commands.begin(), commands.end(), [&](const std::string& c) { return !pred(c); });
  return it == commands.end() ? "" : *it;
}

// The roles cordon may assume. The Service Authorization Reference for AWS STS ("Actions defined by
// AWS Security Token Service", AssumeRole) gives AssumeRole one resource type, role
// (arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}): the role by name in each account named,
// and, for --organization, whose accounts are listed only at run time, the role by name in any account.
Json RoleArns(const PolicyReach& reach) {
  Json arns = Json::array();
  const std::string prefix = "arn:" + reach.partition + ":iam::";
  if (reach.organization) arns.push_back(prefix + "*:role/" + reach.role_name);
  for (const std::string& a : reach.accounts) arns.push_back(prefix + a + ":role/" + reach.role_name);
  return arns;
}

Json Statement(const std::string& sid, std::vector<std::string> actions, Json resource) {
  return Json{
      {"Sid", sid}, {"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resource)}};
}

}  // namespace

bool TakesAccounts(const std::string& command) {
  return command == "contain" || command == "preserve" || command == "capture-memory" || command == "release";
}

bool TakesAllRegions(const std::string& command) {
  return command == "triage" || command == "contain" || command == "preserve" || command == "capture-memory";
}

Status CheckReach(const std::vector<std::string>& commands, const PolicyReach& reach) {
  const bool others = reach.organization || !reach.accounts.empty();
  if (reach.organization && !reach.accounts.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "--organization and --accounts are mutually exclusive, as they are for contain");
  if (others && reach.role_name.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     std::string(reach.organization ? "--organization" : "--accounts") +
                         " needs --role-name ROLE: the role cordon assumes in each account");
  if (!others && !reach.role_name.empty())
    return MakeError(ErrorKind::kInvalidArgument, "--role-name goes with --accounts or --organization");
  for (const std::string& a : reach.accounts)
    if (!IsAccountId(a))
      return MakeError(ErrorKind::kInvalidArgument, "--accounts " + a + ": an account id is 12 digits");
  if (reach.partition != "aws" && reach.partition != "aws-cn" && reach.partition != "aws-us-gov")
    return MakeError(ErrorKind::kInvalidArgument,
                     "--partition " + reach.partition + ": one of aws, aws-cn, aws-us-gov");
  if (std::string c = FirstNot(commands, TakesAccounts); others && !c.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     std::string(reach.organization ? "--organization" : "--accounts") +
                         " does not go with " + c +
                         ": only contain, preserve, capture-memory and release reach other accounts");
  if (std::string c = FirstNot(commands, TakesAllRegions); reach.all_regions && !c.empty())
    return MakeError(ErrorKind::kInvalidArgument, "--all-regions does not go with " + c +
                                                      ": only triage, contain, preserve and capture-memory "
                                                      "take it");
  return Ok();
}

Json ReachStatements(const std::vector<std::string>& commands, const PolicyReach& reach) {
  Json statements = Json::array();
  if (!reach.accounts.empty() || reach.organization) {
    Json assume = Statement("CordonAssumeRole", {"sts:AssumeRole"}, RoleArns(reach));
    // Every session cordon opens is named "cordon-CASE" (cli/target_accounts.h, SessionNameFor): the
    // key sts:RoleSessionName, which the reference lists for AssumeRole, holds the caller to it, so a
    // stolen responder key cannot open sessions that CloudTrail would not show as cordon's.
    assume["Condition"] = Json{{"StringLike", {{"sts:RoleSessionName", "cordon-*"}}}};
    statements.push_back(std::move(assume));
  }
  // The reference for AWS Organizations gives ListAccounts no resource type, nor does the reference
  // for STS GetCallerIdentity (which tells the caller's own account, searched as the profile's): "*".
  if (reach.organization && Any(commands, ListsTheOrganization))
    statements.push_back(
        Statement("CordonListAccounts", {"organizations:ListAccounts", "sts:GetCallerIdentity"}, "*"));
  // The reference for Amazon EC2 gives DescribeRegions no resource type: "*".
  if (reach.all_regions) statements.push_back(Statement("CordonAllRegions", {"ec2:DescribeRegions"}, "*"));
  return statements;
}

}  // namespace cordon::response
