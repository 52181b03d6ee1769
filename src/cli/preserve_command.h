// `cordon preserve TARGET --case ID [--every 30m --count 3]`: snapshot sets as a time series and the
// metadata, without containment (response/preserve.h). See docs/response.md.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Exit status: 0 every set taken, 1 a step failed, 2 bad usage, 3/4 target not found / ambiguous,
// 5 a permission is missing, 6 taken but instance-store volumes could not be.
CommandBody SetupPreserve(CLI::App& app);

}  // namespace cordon::cli
