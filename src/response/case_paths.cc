#include "response/case_paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "evidence/case_store.h"

namespace cordon::response {

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

std::filesystem::path CasesRoot(const std::string& flag, const std::string& configured) {
  if (!flag.empty()) return flag;
  if (std::string env = Env("CORDON_CASES_DIR"); !env.empty()) return env;
  if (!configured.empty()) return configured;
  // The XDG spec ignores a relative $XDG_DATA_HOME ("If an implementation encounters a relative path
  // in any of these variables it should consider the path invalid and ignore it").
  if (std::string xdg = Env("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/')
    return std::filesystem::path(xdg) / "cordon" / "cases";
  if (std::string home = Env("HOME"); !home.empty())
    return std::filesystem::path(home) / ".local" / "share" / "cordon" / "cases";
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
