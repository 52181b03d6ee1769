// `cordon sigma lint PATH...`: what keeps each Sigma rule from ever matching a real CloudTrail record.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Lints the rules in the files and folders given (hunt/sigma/lint.h) and prints the findings as text or
// JSON on stdout. Exit status: 0 no findings, 1 findings, 2 bad flags or a path that does not exist.
CommandBody SetupSigmaLint(CLI::App& app);

}  // namespace cordon::cli
