// Where the CLI's cases live: response::CasesRoot with the configuration file's "cases_dir", so a
// responder's cases are in one place whatever folder cordon runs in (issue 17).
#pragma once

#include <filesystem>
#include <string>

#include "base/error.h"

namespace cordon::cli {

// --cases-dir, $CORDON_CASES_DIR, the configuration file's "cases_dir", $XDG_DATA_HOME/cordon/cases,
// ~/.local/share/cordon/cases. A broken configuration file is an error (kInvalidArgument) only when
// it is consulted (no flag, no variable).
Result<std::filesystem::path> CliCasesRoot(const std::string& flag);

// The help text of every --cases-dir.
inline constexpr const char* kCasesDirHelp =
    "where cases live (default $CORDON_CASES_DIR, the config file's \"cases_dir\", else "
    "$XDG_DATA_HOME/cordon/cases or ~/.local/share/cordon/cases)";

// How to point elsewhere, for messages that say a case was not found where cordon looked.
inline constexpr const char* kCasesDirHint =
    "--cases-dir DIR, $CORDON_CASES_DIR or the config file's \"cases_dir\" point elsewhere";

}  // namespace cordon::cli
