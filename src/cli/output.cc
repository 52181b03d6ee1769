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

// Messages quote what AWS and the logs said (tags, file names, error messages): no raw control bytes,
// and every line after the first indented, so that a newline in a quoted value cannot start a line that
// passes for a message of cordon's own ("cordon: ...").
void Print(const char* prefix, std::string_view message) {
  std::string safe = NeutralizeControls(message);
  for (size_t at = safe.find('\n'); at != std::string::npos; at = safe.find('\n', at + 1))
    safe.insert(at + 1, "  ");
  std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(safe.size()), safe.data());
}

}  // namespace

void PrintError(std::string_view message) { Print("cordon: error: ", message); }
void PrintWarning(std::string_view message) { Print("cordon: warning: ", message); }
void PrintInfo(std::string_view message) { Print("cordon: ", message); }

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
