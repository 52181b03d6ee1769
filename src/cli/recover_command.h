// `cordon recover --case ID [--relaunch]`: did the service recover after the suspect left it?
// (response/recover/recover.h). Exit 7 when it is not whole.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupRecover(CLI::App& app);

}  // namespace cordon::cli
