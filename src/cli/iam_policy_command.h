// `cordon iam-policy [--for triage,contain,release,preserve]`: prints the least-privilege IAM policy.
#pragma once

namespace cordon::cli {

// Prints the policy JSON on stdout. 0, or 2 for an unknown command name.
int RunIamPolicy(int argc, char** argv);

}  // namespace cordon::cli
