#include "cli/cases_root.h"

#include <cstdlib>

#include "cli/config_file.h"
#include "response/case_paths.h"

namespace cordon::cli {

Result<std::filesystem::path> CliCasesRoot(const std::string& flag) {
  const char* env = std::getenv("CORDON_CASES_DIR");
  if (!flag.empty() || (env != nullptr && *env != '\0')) return response::CasesRoot(flag);
  auto config = LoadConfigFile();
  if (!config) return MakeError(config.error());
  return response::CasesRoot(flag, config->cases_dir);
}

}  // namespace cordon::cli
