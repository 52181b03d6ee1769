#include "aws/credentials/environment.h"

#include "base/strings.h"

extern char** environ;

namespace cordon::aws {

Environment Environment::FromProcess() {
  std::map<std::string, std::string, std::less<>> vars;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    // The first definition wins, as getenv() would return it.
    vars.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return Environment(std::move(vars));
}

std::optional<std::string> Environment::Get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Environment::GetNonEmpty(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool Environment::IsTrue(std::string_view name) const {
  auto it = vars_.find(name);
  return it != vars_.end() && EqualsIgnoreCase(Trim(it->second), "true");
}

void Environment::Unset(std::string_view name) {
  auto it = vars_.find(name);
  if (it != vars_.end()) vars_.erase(it);
}

std::vector<std::string> Environment::ToEnvp() const {
  std::vector<std::string> out;
  out.reserve(vars_.size());
  for (const auto& [name, value] : vars_) out.push_back(name + "=" + value);
  return out;
}

}  // namespace cordon::aws
