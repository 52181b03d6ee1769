// `cordon api SERVICE OPERATION [JSON | @file]`: the escape hatch to any embedded AWS operation.
#pragma once

#include "cli/command.h"

namespace cordon::cli {
CommandBody SetupApi(CLI::App& app);
}  // namespace cordon::cli
