#include "cli/cases_dir.h"

#include <cstdlib>

namespace cordon::cli {

std::filesystem::path CasesDir(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (const char* env = std::getenv("CORDON_CASES_DIR"); env && *env) return env;
  return "cordon-cases";
}

}  // namespace cordon::cli
