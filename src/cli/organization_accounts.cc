#include "cli/organization_accounts.h"

#include <algorithm>

#include "base/json_fields.h"

namespace cordon::cli {

std::vector<std::string> ActiveAccountIds(const Json& list_accounts) {
  std::vector<std::string> ids;
  for (const Json& account : Arr(list_accounts, "Accounts")) {
    const std::string state = Str(account, "State").empty() ? Str(account, "Status") : Str(account, "State");
    const std::string id = Str(account, "Id");
    if (state == "ACTIVE" && !id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(id);
  }
  return ids;
}

Result<std::vector<std::string>> OrganizationAccounts(aws::Client& client) {
  // ListAccounts may answer a page with no accounts and a NextToken (its API reference says to go on
  // until NextToken is null): CallAll follows every token.
  auto listed = client.CallAll("organizations", "ListAccounts", Json::object());
  if (!listed) {
    Error e = listed.error();
    if (e.code == "AWSOrganizationsNotInUseException") {
      e.kind = ErrorKind::kInvalidArgument;
      e.message = "--organization: the profile's account is not in an organization (" + e.ToString() +
                  "); name the accounts with --accounts instead";
      e.code.clear();
      e.http_status = 0;
    } else if (e.kind == ErrorKind::kAccessDenied) {
      e.message = "--organization: Organizations ListAccounts was refused (" + e.message +
                  "): only the organization's management account or a delegated administrator can list its "
                  "accounts, with organizations:ListAccounts; run with a profile there, or name the accounts "
                  "with --accounts";
    }
    return tl::unexpected(std::move(e));
  }
  auto me = client.Call("sts", "GetCallerIdentity", Json::object());
  if (!me) return tl::unexpected(me.error());
  const std::string self = Str(*me, "Account");
  std::vector<std::string> ids = ActiveAccountIds(*listed);
  std::erase(ids, self);
  return ids;
}

}  // namespace cordon::cli
