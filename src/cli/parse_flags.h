// Parsing a command's flags with CLI11, with cordon's exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

namespace cordon::cli {

// Parses argv into `app`. Returns nullopt when the command should go on; otherwise the exit code,
// after CLI11 printed what it had to: kExitOk for --help, kExitUsage for bad flags.
std::optional<int> ParseFlags(CLI::App& app, int argc, char** argv);

}  // namespace cordon::cli
