#include "response/case_paths.h"

#include <cstdlib>

#include "evidence/case_store.h"

namespace cordon::response {

std::filesystem::path CasesRoot(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("CORDON_CASES_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(evidence::kDefaultCasesRoot);
}

std::string DefaultResponder(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "unknown";
}

}  // namespace cordon::response
