// Looking for targets in several accounts (--accounts with --role-name, or a targets-file line's
// account=) and in the region a targets-file line names: the places to search, and the one rule
// that turns what each account answered into one instance.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cli/command_context.h"
#include "cloud/target.h"

namespace cordon::cli {

// One targets-file line: its target and what it says of where the target is. The syntax is
// `TARGET [region=REGION] [account=ACCOUNT_ID] [# comment]`, words separated by blanks; a line that is
// only the target (every targets file before these words) means what it always did.
// kInvalidArgument naming the word for an unknown key, a repeated key or an account id that is not
// 12 digits.
Result<std::pair<std::string, TargetHint>> ParseTargetLine(const std::string& line);

// "arn:aws:iam::ACCOUNT:role/ROLE", in the partition of `region` (aws-cn for cn-*, aws-us-gov for
// us-gov-*).
std::string RoleArnFor(const std::string& account, const std::string& role_name, const std::string& region);

// The AssumeRole session name CloudTrail shows in the target's account: "cordon-CASE", reduced to what
// STS accepts ([\w+=,.@-], at most 64 characters).
std::string SessionNameFor(const std::string& case_id);

// Where a target is looked for: the profile's account (role_arn empty, client the command's) or an
// account reached by assuming role_arn.
struct AccountPlace {
  std::string account, role_arn;
  std::shared_ptr<aws::Client> client;  // null for the profile's account
};

// What one account answered for one target.
struct AccountAnswer {
  const AccountPlace* place = nullptr;
  Result<cloud::ResolvedTarget> result;
};

// One instance from the answers of several accounts, by the rule of cloud::ResolveTarget: one match is
// the target; several (the same IP in two accounts) are kAmbiguous naming each with its account and
// region; none is kNotFound naming the accounts, unless an account failed (then its error, naming the
// account). A match by IP while another account failed may not be the only one (another instance
// there may have the IP): marked uniqueness_unproven, and for a command that `acts` (contain,
// preserve) kAmbiguous naming the account that failed and how to narrow. The same instance found
// through two places (the profile's account also listed in --accounts) counts once, as the first
// place's.
Result<std::pair<cloud::ResolvedTarget, const AccountPlace*>> CombineAccountAnswers(
    const std::string& text, const std::string& vpc, std::vector<AccountAnswer>& answers, bool acts);

}  // namespace cordon::cli
