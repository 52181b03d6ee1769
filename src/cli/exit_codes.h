// Process exit codes, documented in README.md ("Exit codes"). Stable: scripts depend on them.
#pragma once

#include "base/error.h"

namespace cordon::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;        // AWS or network error, or a step failed
inline constexpr int kExitUsage = 2;         // bad flags or input: nothing was done
inline constexpr int kExitNotFound = 3;      // the target (instance, IP, case) does not exist
inline constexpr int kExitAmbiguous = 4;     // the target matched several instances
inline constexpr int kExitAccessDenied = 5;  // credentials lack a permission
inline constexpr int kExitPartial = 6;       // finished, but something was skipped or could not be read
inline constexpr int kExitNotRecovered = 7;  // recover: the service is not whole (yet)

int ExitCodeFor(const Error& error);

}  // namespace cordon::cli
