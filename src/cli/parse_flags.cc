#include "cli/parse_flags.h"

#include "cli/exit_codes.h"

namespace cordon::cli {

std::optional<int> ParseFlags(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // app.exit prints help or the error and returns 0 only for --help (CallForHelp).
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return std::nullopt;
}

}  // namespace cordon::cli
