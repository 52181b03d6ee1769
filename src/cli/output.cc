#include "cli/output.h"

#include <cstdio>
#include <optional>
#include <string>

#include "aws/errors/error_table.h"
#include "base/colour.h"
#include "base/terminal_text.h"
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
// The colour (a terminal only, base/colour.h) is added to cordon's own prefix after that.
void Print(std::optional<Colour> colour, std::string_view label, std::string_view message) {
  std::string safe = NeutralizeControls(message);
  // Every line after the first indented, so that a newline in a quoted value cannot start a line that
  // passes for a message of cordon's own ("cordon: ...").
  for (size_t at = safe.find('\n'); at != std::string::npos; at = safe.find('\n', at + 1))
    safe.insert(at + 1, "  ");
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

void PrintJson(const Json& doc) {
  const std::string text = doc.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
}

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
