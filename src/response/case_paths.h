// Where cases live and who is responding, as the response commands default them.
#pragma once

#include <filesystem>
#include <string>

namespace cordon::response {

// Where cases live, one place per user whatever the current folder: --cases-dir if given, else
// $CORDON_CASES_DIR, else `configured` (the configuration file's "cases_dir"), else
// $XDG_DATA_HOME/cordon/cases, else $HOME/.local/share/cordon/cases (the XDG Base Directory
// default), else ./cordon-cases when there is no home at all.
std::filesystem::path CasesRoot(const std::string& flag, const std::string& configured = "");
// --responder if given, else $USER, else "unknown".
std::string DefaultResponder(const std::string& flag);

}  // namespace cordon::response
