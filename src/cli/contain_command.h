// `cordon contain TARGET... --case ID`: builds the containment plan from live state, prints it,
// asks for confirmation, and runs it (DESIGN.md §3). See docs/response.md.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Exit status: 0 every target contained (or already was), 1 a step failed, 2 bad usage or no
// confirmation, 3 a target does not exist, 4 a target is ambiguous, 5 a permission is missing,
// 6 contained but something could not be captured (instance-store volumes).
CommandBody SetupContain(CLI::App& app);

}  // namespace cordon::cli
