#include "cli/output.h"

#include <cstdio>
#include <optional>
#include <string>

#include "aws/errors/error_table.h"
#include "base/terminal_text.h"
#include "cli/colour.h"
#include "cli/exit_codes.h"
#include "cli/wait_notice.h"

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
// The colour (a terminal only, cli/colour.h) is added to cordon's own prefix after that.
void Print(std::optional<Colour> colour, std::string_view label, std::string_view message) {
  const std::string safe = NeutralizeControls(message);
  std::string painted;
  if (!label.empty()) painted = (colour ? Paint(stderr, *colour, label) : std::string(label)) + " ";
  WriteAboveWaitLine([&] {
    std::fprintf(stderr, "cordon: %s%.*s\n", painted.c_str(), static_cast<int>(safe.size()), safe.data());
  });
}

}  // namespace

void PrintError(std::string_view message) { Print(Colour::kFailure, "error:", message); }
void PrintWarning(std::string_view message) { Print(Colour::kWarning, "warning:", message); }
void PrintInfo(std::string_view message) { Print(std::nullopt, "", message); }

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
