// `cordon man`: the manual page cordon(1) in roff, generated from the command table and the commands'
// own flags and descriptions (cli/command_docs.h), as the completion scripts are.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/command_docs.h"

namespace cordon::cli {

CommandBody SetupMan(CLI::App& app);

std::string ManPage(const std::vector<CommandDoc>& docs);

}  // namespace cordon::cli
