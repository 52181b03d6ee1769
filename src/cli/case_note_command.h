// `cordon case note --case ID "text" [--target i-...]`: the responder's own observation, journaled
// as a note (who, when, about which instance) and listed in the case report.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupCaseNote(CLI::App& app);

}  // namespace cordon::cli
