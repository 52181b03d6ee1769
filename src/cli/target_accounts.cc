#include "cli/target_accounts.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "base/strings.h"

namespace cordon::cli {
namespace {

bool IsAccountId(const std::string& text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(),
                                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string AccountName(const AccountPlace& place) {
  return place.role_arn.empty() ? "the profile's account" : "account " + place.account;
}

std::string Describe(const cloud::ResolvedTarget& t, const AccountPlace& place) {
  return t.instance_id + " in " + AccountName(place) + ", " + t.region + ", " +
         (t.vpc_id.empty() ? "no VPC" : t.vpc_id) + " (" + t.matched_by + ")";
}

}  // namespace

Result<std::pair<std::string, TargetHint>> ParseTargetLine(const std::string& line) {
  std::istringstream words(line);
  std::string target, word;
  words >> target;
  TargetHint hint;
  while (words >> word) {
    if (word[0] == '#') break;  // the rest of the line is a comment
    const size_t eq = word.find('=');
    const std::string key = word.substr(0, eq == std::string::npos ? 0 : eq);
    const std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    std::string* slot = key == "region" ? &hint.region : key == "account" ? &hint.account : nullptr;
    if (slot == nullptr || value.empty())
      return MakeError(ErrorKind::kInvalidArgument, "'" + word + "' after " + target +
                                                        ": a targets-file line is TARGET [region=REGION] " +
                                                        "[account=ACCOUNT_ID] [# comment]");
    if (!slot->empty()) return MakeError(ErrorKind::kInvalidArgument, key + "= is given twice for " + target);
    if (key == "account" && !IsAccountId(value))
      return MakeError(ErrorKind::kInvalidArgument,
                       "account=" + value + " for " + target + ": an account id is 12 digits");
    *slot = value;
  }
  return std::pair{target, hint};
}

std::string RoleArnFor(const std::string& account, const std::string& role_name, const std::string& region) {
  const std::string partition = StartsWith(region, "cn-")       ? "aws-cn"
                                : StartsWith(region, "us-gov-") ? "aws-us-gov"
                                                                : "aws";
  return "arn:" + partition + ":iam::" + account + ":role/" + role_name;
}

std::string SessionNameFor(const std::string& case_id) {
  std::string session = "cordon-" + case_id;
  for (char& c : session)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("+=,.@-_").find(c) == std::string_view::npos)
      c = '-';
  return session.substr(0, 64);
}

Result<std::pair<cloud::ResolvedTarget, const AccountPlace*>> CombineAccountAnswers(
    const std::string& text, const std::string& vpc, std::vector<AccountAnswer>& answers, bool acts) {
  std::vector<size_t> found, failed;
  for (size_t i = 0; i < answers.size(); ++i) {
    const Result<cloud::ResolvedTarget>& r = answers[i].result;
    if (r) {
      const bool again = std::any_of(found.begin(), found.end(), [&](size_t j) {
        return answers[j].result->instance_id == r->instance_id && answers[j].result->region == r->region;
      });
      if (!again) found.push_back(i);
    } else if (r.error().kind == ErrorKind::kAmbiguous) {
      // Several matches inside one account: that account's message already lists them.
      Error e = r.error();
      e.message = AccountName(*answers[i].place) + ": " + e.message;
      return tl::unexpected(std::move(e));
    } else if (r.error().kind != ErrorKind::kNotFound) {
      failed.push_back(i);
    }
  }
  std::string unsearched;
  for (size_t i : failed)
    unsearched += (unsearched.empty() ? "" : "; ") + AccountName(*answers[i].place) + " (" +
                  answers[i].result.error().ToString() + ")";
  if (found.size() > 1) {
    std::string msg = text + " matches " + std::to_string(found.size()) + " instances:";
    for (size_t i : found) msg += "\n  " + Describe(*answers[i].result, *answers[i].place);
    if (!unsearched.empty()) msg += "\nand perhaps more: could not search " + unsearched;
    msg +=
        "\nname the account in a targets file (" + text + " account=ACCOUNT_ID), or narrow with --vpc VPC_ID";
    return MakeError(ErrorKind::kAmbiguous, msg);
  }
  if (found.empty()) {
    if (!failed.empty()) {
      Error e = answers[failed.front()].result.error();
      e.message = text + " was not found where cordon could look, but could not search " + unsearched;
      return tl::unexpected(std::move(e));
    }
    std::string where;
    for (const AccountAnswer& a : answers) where += (where.empty() ? "" : ", ") + AccountName(*a.place);
    Error e = answers.front().result.error();  // the profile's (or the only) account's "not found"
    e.message += " (searched " + where + ")";
    return tl::unexpected(std::move(e));
  }
  AccountAnswer& one = answers[found.front()];
  cloud::ResolvedTarget t = std::move(*one.result);
  const bool by_ip = cloud::ClassifyTarget(text) == cloud::TargetKind::kIpAddress;
  // Inside a --vpc the match is definitive: a VPC lives in one account and region.
  if (by_ip && vpc.empty() && !failed.empty()) {
    t.uniqueness_unproven = true;
    if (acts)
      return MakeError(ErrorKind::kAmbiguous,
                       text + " matches " + Describe(t, *one.place) + ", but could not search " + unsearched +
                           ", and another instance there may have the same IP\nuse the instance id, name the "
                           "account in a targets file (" +
                           text + " account=ACCOUNT_ID), or fix access to those accounts");
  }
  return std::pair{std::move(t), one.place};
}

}  // namespace cordon::cli
