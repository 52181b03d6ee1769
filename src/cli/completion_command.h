// `cordon completion bash|zsh`: the shell completion script, generated from the command table and
// the commands' own flags (cli/command_docs.h), so it never offers a flag that does not exist.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/command_docs.h"

namespace cordon::cli {

CommandBody SetupCompletion(CLI::App& app);

std::string BashCompletion(const std::vector<CommandDoc>& docs);
std::string ZshCompletion(const std::vector<CommandDoc>& docs);

}  // namespace cordon::cli
