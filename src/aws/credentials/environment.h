// The environment variables the credential and settings resolvers read, as a value that tests can build.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::aws {

// A snapshot of environment variables. Resolvers take one of these instead of calling getenv(), so
// tests never depend on (or change) the real environment or home directory.
// A value type: cheap enough to copy into each provider that needs it.
class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string, std::less<>> vars) : vars_(std::move(vars)) {}
  // Environment({{"HOME", "/home/u"}, {"AWS_PROFILE", "prod"}}), for tests.
  Environment(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}

  // The variables of this process (environ) at the time of the call.
  static Environment FromProcess();

  // The value when the variable is set, even to "".
  std::optional<std::string> Get(std::string_view name) const;
  // The value when the variable is set and not empty (how the AWS CLI treats most of its variables).
  std::optional<std::string> GetNonEmpty(std::string_view name) const;
  bool Has(std::string_view name) const { return vars_.find(name) != vars_.end(); }
  // True when the variable is set to "true" in any case (AWS_EC2_METADATA_DISABLED and friends).
  bool IsTrue(std::string_view name) const;

  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  void Unset(std::string_view name);

  // "NAME=value" strings, sorted by name: the environment of a child process.
  std::vector<std::string> ToEnvp() const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace cordon::aws
