// `cordon iam-policy [--for triage,contain,release,preserve]`: prints the least-privilege IAM policy.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Prints the policy JSON on stdout. 0, or 2 for an unknown command name.
CommandBody SetupIamPolicy(CLI::App& app);

}  // namespace cordon::cli
