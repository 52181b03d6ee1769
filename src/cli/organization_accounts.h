// --organization: the accounts of the caller's organization that contain and preserve search, from
// Organizations ListAccounts (every page), and the errors that say why an organization cannot be listed.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::cli {

// The ids of the accounts in a (merged) ListAccounts answer that can be searched: those whose State
// is ACTIVE. An answer without State (before Organizations added it) is judged by Status, which AWS
// retired on 2026-09-09 ("Account" in the Organizations API Reference). Suspended, closed and
// pending accounts have nothing cordon could act on, and their roles cannot be assumed.
std::vector<std::string> ActiveAccountIds(const Json& list_accounts);

// The active accounts of the caller's organization other than the caller's own (which a run
// always searches as the profile's account), in the order ListAccounts gave them. Only the
// management account or a delegated administrator may list them. Errors, each saying what to do:
//   kInvalidArgument  the account is not in an organization (AWSOrganizationsNotInUseException);
//   kAccessDenied     ListAccounts refused: not the management account nor a delegated
//                     administrator, or the credentials lack organizations:ListAccounts;
// and any other error of ListAccounts or sts GetCallerIdentity as it is.
Result<std::vector<std::string>> OrganizationAccounts(aws::Client& client);

}  // namespace cordon::cli
