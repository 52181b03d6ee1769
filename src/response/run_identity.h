// Journals who runs cordon on a case, for an auditor matching the case to CloudTrail: the AWS account
// and caller ARN (STS GetCallerIdentity), the cordon version, the host and the command line.
#pragma once

#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "evidence/case_store.h"

namespace cordon::response {

struct RunIdentity {
  std::string command;       // "contain"
  std::string command_line;  // every argument after "cordon"; "" reads /proc/self/cmdline
  std::string responder;
};

// Calls GetCallerIdentity through `client` (none when it is null: the command makes no AWS call) and
// journals run.identity (evidence/audit_kinds.h) in `store`. A failed call is journaled as
// identity_error and is not an error here: a response must not stop because sts:GetCallerIdentity is
// denied. Fails only when the journal does (the journal is then unhealthy, as for any append).
[[nodiscard]] Status RecordRunIdentity(evidence::CaseStore& store, aws::Client* client,
                                       const RunIdentity& run);

// The host's name, "" when it has none.
std::string HostName();

// cordon's version, as `cordon --version` prints it after "cordon ".
std::string CordonVersion();

}  // namespace cordon::response
