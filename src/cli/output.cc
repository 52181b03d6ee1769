#include "cli/output.h"

#include <cstdio>
#include <string>

#include "aws/errors/error_table.h"
#include "base/terminal_text.h"
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

namespace {

// Messages quote what AWS and the logs said (tags, file names, error messages): no raw control bytes.
void Print(const char* prefix, std::string_view message) {
  const std::string safe = NeutralizeControls(message);
  std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(safe.size()), safe.data());
}

}  // namespace

void PrintError(std::string_view message) { Print("cordon: error: ", message); }
void PrintWarning(std::string_view message) { Print("cordon: warning: ", message); }
void PrintInfo(std::string_view message) { Print("cordon: ", message); }

int ReportError(const Error& error) {
  std::string text = error.ToString();
  if (error.kind == ErrorKind::kAccessDenied && aws::IsCredentialRejection(error.code)) {
    if (error.code != "NoCredentials")  // whose message already says how to sign in
      text +=
          " (the credentials were refused, or have expired: sign in again, e.g. `aws sso login`, or pass "
          "--profile)";
  } else if (error.kind == ErrorKind::kAccessDenied &&
             error.message.find("not authorized") == std::string::npos) {
    text += " (the credentials in use lack a permission; `cordon iam-policy` prints what cordon needs)";
  }
  PrintError(text);
  return ExitCodeFor(error);
}

}  // namespace cordon::cli
