// `cordon case list | show ID | verify ID`: look at and check case folders.
#pragma once

#include "cli/command.h"

namespace cordon::cli {
CommandBody SetupCase(CLI::App& app);
}  // namespace cordon::cli
