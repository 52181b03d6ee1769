#include "aws/credentials/sso_settings.h"

#include <fmt/format.h>

#include <vector>

#include "aws/credentials/cache_file.h"

namespace cordon::aws {
namespace {

// `who`: "profile 'dev'" or "the sso-session 'corp' of profile 'dev'".
tl::unexpected<Error> Missing(const std::string& who, const std::vector<std::string>& missing) {
  std::string list;
  for (const std::string& key : missing) list += (list.empty() ? "" : ", ") + key;
  return MakeError(
      ErrorKind::kInvalidArgument,
      fmt::format("{} is configured to use SSO but is missing required configuration: {}", who, list));
}

// Reads `key` from `from` into `out`; notes it as missing when absent or empty.
void Take(const Profile& from, const char* key, std::string& out, std::vector<std::string>& missing) {
  out = from.Get(key).value_or("");
  if (out.empty()) missing.push_back(key);
}

Result<SsoSettings> FromSession(const SharedConfig& config, const Profile& profile, SsoSettings settings) {
  const Profile* session = config.FindSsoSession(settings.session);
  if (session == nullptr) {
    return MakeError(
        ErrorKind::kInvalidArgument,
        fmt::format("profile '{}' names sso_session '{}', but {} has no [sso-session {}] section",
                    profile.name, settings.session, config.config_path(), settings.session));
  }
  std::vector<std::string> missing;
  Take(*session, "sso_start_url", settings.start_url, missing);
  Take(*session, "sso_region", settings.region, missing);
  if (!missing.empty())
    return Missing(fmt::format("the sso-session '{}' of profile '{}'", settings.session, profile.name),
                   missing);
  for (auto [key, value] :
       {std::pair{"sso_start_url", &settings.start_url}, {"sso_region", &settings.region}}) {
    std::optional<std::string> own = profile.Get(key);
    if (own && !own->empty() && *own != *value) {
      return MakeError(ErrorKind::kInvalidArgument,
                       fmt::format("the {} of profile '{}' differs from the one of its sso-session '{}'", key,
                                   profile.name, settings.session));
    }
  }
  return settings;
}

}  // namespace

Result<std::optional<SsoSettings>> ResolveSsoSettings(const SharedConfig& config, const Profile& profile) {
  if (!profile.Has("sso_session") && !profile.Has("sso_start_url")) return std::nullopt;
  SsoSettings settings;
  settings.profile = profile.name;
  settings.session = profile.Get("sso_session").value_or("");
  std::vector<std::string> missing;
  Take(profile, "sso_account_id", settings.account_id, missing);
  Take(profile, "sso_role_name", settings.role_name, missing);
  if (settings.session.empty()) {
    Take(profile, "sso_start_url", settings.start_url, missing);
    Take(profile, "sso_region", settings.region, missing);
    if (!missing.empty()) return Missing(fmt::format("profile '{}'", profile.name), missing);
    return settings;
  }
  if (!missing.empty()) return Missing(fmt::format("profile '{}'", profile.name), missing);
  Result<SsoSettings> resolved = FromSession(config, profile, std::move(settings));
  if (!resolved) return tl::unexpected(resolved.error());
  return std::optional<SsoSettings>(std::move(*resolved));
}

std::string SsoTokenCachePath(const Environment& env, const SsoSettings& settings) {
  std::string dir = AwsCacheDir(env, "sso/cache");
  if (dir.empty()) return "";
  return dir + "/" + Sha1Hex(settings.session.empty() ? settings.start_url : settings.session) + ".json";
}

}  // namespace cordon::aws
