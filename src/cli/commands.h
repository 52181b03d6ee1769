// The command table (one static table, as ninja's tools) and the entry point that dispatches to it
// after doing each command's shared setup (command.h).
#pragma once

#include <span>

#include "cli/command.h"

namespace cordon::cli {

// Every command, in the order `cordon help` lists them.
std::span<const Command> Commands();

int Main(int argc, char** argv);

}  // namespace cordon::cli
