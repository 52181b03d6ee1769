// The case flags of the commands that write a case: --case, --cases-dir, --responder.
#pragma once

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "cli/command_context.h"

namespace cordon::cli {

void AddCaseFlags(CLI::App& app, CaseFlags* flags);

// Checks the case id and defaults the responder, before anything is read or changed.
Status FinishCaseFlags(CaseFlags* flags);

}  // namespace cordon::cli
