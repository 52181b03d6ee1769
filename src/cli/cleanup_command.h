// `cordon cleanup --case ID --terminate-suspect`: terminate the suspect once its evidence is
// complete, and delete cordon's groups (response/cleanup/cleanup.h).
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupCleanup(CLI::App& app);

}  // namespace cordon::cli
