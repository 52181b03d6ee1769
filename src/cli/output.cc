#include "cli/output.h"

#include <cstdio>
#include <string>

#include "aws/retry/error_table.h"
#include "cli/exit_codes.h"

namespace cordon::cli {

int ExitCodeFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kInvalidArgument:
      return kExitUsage;
    case ErrorKind::kNotFound:
      return kExitNotFound;
    case ErrorKind::kAccessDenied:
      return kExitAccessDenied;
    case ErrorKind::kAmbiguous:
      return kExitAmbiguous;
    default:
      return kExitFailed;
  }
}

void PrintError(std::string_view message) {
  std::fprintf(stderr, "cordon: error: %.*s\n", static_cast<int>(message.size()), message.data());
}
void PrintWarning(std::string_view message) {
  std::fprintf(stderr, "cordon: warning: %.*s\n", static_cast<int>(message.size()), message.data());
}
void PrintInfo(std::string_view message) {
  std::fprintf(stderr, "cordon: %.*s\n", static_cast<int>(message.size()), message.data());
}

int ReportError(const Error& error) {
  std::string text = error.ToString();
  if (error.kind == ErrorKind::kAccessDenied && aws::IsCredentialRejection(error.code)) {
    if (error.code != "NoCredentials")  // whose message already says how to sign in
      text += " (the credentials were refused, or have expired: sign in again, e.g. `aws sso login`, or pass "
              "--profile)";
  } else if (error.kind == ErrorKind::kAccessDenied && error.message.find("not authorized") == std::string::npos) {
    text += " (the credentials in use lack a permission; `cordon iam-policy` prints what cordon needs)";
  }
  PrintError(text);
  return ExitCodeFor(error);
}

}  // namespace cordon::cli
