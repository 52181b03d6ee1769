// `cordon lab up|allow|attach|down|template`: the case's forensics lab (response/lab/lab.h).
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupLabUp(CLI::App& app);
CommandBody SetupLabAllow(CLI::App& app);
CommandBody SetupLabAttach(CLI::App& app);
CommandBody SetupLabDown(CLI::App& app);
CommandBody SetupLabTemplate(CLI::App& app);

}  // namespace cordon::cli
