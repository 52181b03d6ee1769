// Where cases live and who is responding, as the response commands default them.
#pragma once

#include <filesystem>
#include <string>

namespace cordon::response {

// --cases-dir if given, else $CORDON_CASES_DIR, else ./cordon-cases.
std::filesystem::path CasesRoot(const std::string& flag);
// --responder if given, else $USER, else "unknown".
std::string DefaultResponder(const std::string& flag);

}  // namespace cordon::response
