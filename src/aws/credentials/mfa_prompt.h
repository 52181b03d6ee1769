// Asking for an MFA code on the terminal, as the AWS CLI does for a role profile with mfa_serial.
#pragma once

#include <optional>
#include <string>

#include "aws/credentials/profile_provider.h"

namespace cordon::aws {

// A reader that returns `code` when given (--mfa-code); otherwise, when stdin is a terminal, prints
// "Enter MFA code for SERIAL: " on stderr and reads a line without echo. Otherwise kInvalidArgument:
// the profile needs an MFA code, pass --mfa-code. Calls are serialised (one prompt at a time).
MfaCodeReader TerminalMfaCodeReader(std::optional<std::string> code);

}  // namespace cordon::aws
