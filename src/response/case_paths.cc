#include "response/case_paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

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
  // No $USER (cron, a container, sudo -i): the account this process runs as, as whoami says it.
  if (const passwd* account = getpwuid(geteuid());
      account != nullptr && account->pw_name != nullptr && *account->pw_name != '\0')
    return account->pw_name;
  return "uid-" + std::to_string(geteuid());
}

}  // namespace cordon::response
