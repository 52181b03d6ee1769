// `cordon release --case ID`: restores every contained target of the case to its recorded
// pre-state (response/release.h). See docs/response.md.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Exit status: 0 released, 1 a step failed or live state drifted (refused; --force overrides),
// 2 bad usage or no confirmation, 3 no such case (or nothing recorded), 5 a permission is missing.
CommandBody SetupRelease(CLI::App& app);

}  // namespace cordon::cli
