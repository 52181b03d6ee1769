#include "aws/credentials/profile_provider.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "aws/credentials/process_provider.h"
#include "aws/credentials/role_cache.h"
#include "aws/credentials/sso_settings.h"
#include "aws/credentials/web_identity_provider.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

tl::unexpected<Error> Invalid(std::string message) {
  return MakeError(ErrorKind::kInvalidArgument, std::move(message));
}

bool HasStaticKeys(const Profile& profile) {
  return profile.Has("aws_access_key_id") || profile.Has("aws_secret_access_key");
}

// botocore's _has_assume_role_config_vars(): a web identity profile also has role_arn, but is not
// assumed through AssumeRole.
bool HasRoleConfig(const Profile& profile) {
  return profile.Has("role_arn") && !profile.Has("web_identity_token_file");
}

std::string Chain(const std::vector<std::string>& visited, const std::string& next) {
  std::string out;
  for (const std::string& name : visited) out += "'" + name + "' -> ";
  return out + "'" + next + "'";
}

}  // namespace

ProfileProvider::ProfileProvider(ProfileProviderOptions options) : options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = SystemClock::Default();
}

Result<Credentials> ProfileProvider::Get() {
  const Profile* profile = options_.config->Find(options_.profile);
  if (profile != nullptr && HasRoleConfig(*profile)) {
    std::vector<std::string> visited = {options_.profile};
    return AssumeRole(options_.profile, visited);
  }
  return FromProfileSettings(options_.profile, options_.env_web_identity);
}

Result<Credentials> ProfileProvider::AssumeRole(const std::string& name, std::vector<std::string>& visited) {
  const Profile& profile = *options_.config->Find(name);  // callers checked that it exists
  Result<AssumeRoleRequest> request = RoleRequest(name, profile);
  if (!request) return tl::unexpected(request.error());
  std::string cache_path;
  if (!request->serial_number.empty()) {
    if (!options_.mfa_code) {
      return Invalid(
          fmt::format("profile '{}' requires MFA (mfa_serial), and no MFA code can be asked for here", name));
    }
    // As the CLI: one MFA code per session, reused from the cache until the session nears expiry.
    cache_path = RoleCachePath(options_.env, *request, profile.Has("role_session_name"));
    if (std::optional<Credentials> cached = LoadCachedRole(cache_path, options_.clock->Now())) {
      cached->source =
          fmt::format("profile:{} (assumed role {}, cached MFA session)", name, request->role_arn);
      return *cached;
    }
  }
  Result<Credentials> source = RoleSource(name, profile, visited);
  if (!source) return tl::unexpected(source.error());
  if (!request->serial_number.empty()) {
    Result<std::string> code = options_.mfa_code(name, request->serial_number);
    if (!code) return tl::unexpected(code.error());
    request->token_code = std::string(Trim(*code));
  }
  if (!options_.sts) return MakeError(ErrorKind::kInternal, "no STS caller configured to assume roles");
  Result<Credentials> creds = options_.sts(*request, *source);
  if (!creds) {
    return WithContext(creds.error(),
                       fmt::format("assuming role {} for profile '{}'", request->role_arn, name));
  }
  // A session that was not cached only costs another MFA code next time; the run goes on.
  if (!cache_path.empty()) (void)StoreCachedRole(cache_path, *creds);
  creds->source = fmt::format("profile:{} (assumed role {})", name, request->role_arn);
  return creds;
}

Result<AssumeRoleRequest> ProfileProvider::RoleRequest(const std::string& name, const Profile& profile) {
  AssumeRoleRequest request;
  request.role_arn = profile.Get("role_arn").value_or("");
  request.session_name = profile.Get("role_session_name").value_or("");
  if (request.session_name.empty()) request.session_name = DefaultRoleSessionName(*options_.clock);
  request.external_id = profile.Get("external_id").value_or("");
  request.serial_number = profile.Get("mfa_serial").value_or("");
  if (std::optional<std::string> duration = profile.Get("duration_seconds")) {
    std::string_view text = Trim(*duration);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), request.duration_seconds);
    if (ec != std::errc() || end != text.data() + text.size() || request.duration_seconds <= 0) {
      return Invalid(fmt::format("profile '{}': duration_seconds must be a positive integer", name));
    }
  }
  request.region = options_.sts_region;
  return request;
}

Result<Credentials> ProfileProvider::RoleSource(const std::string& name, const Profile& profile,
                                                std::vector<std::string>& visited) {
  bool has_source_profile = profile.Has("source_profile");
  bool has_credential_source = profile.Has("credential_source");
  if (has_source_profile && has_credential_source) {
    return Invalid(fmt::format("profile '{}' sets both source_profile and credential_source", name));
  }
  if (!has_source_profile && !has_credential_source) {
    return Invalid(
        fmt::format("profile '{}' sets role_arn but neither source_profile nor credential_source", name));
  }
  if (has_credential_source) return FromSource(name, profile);

  std::string source_name = profile.Get("source_profile").value_or("");
  const Profile* source_profile = options_.config->Find(source_name);
  if (source_profile == nullptr) {
    return Invalid(fmt::format("the source_profile '{}' referenced in profile '{}' does not exist in {}",
                               source_name, name, options_.config->DescribeFiles()));
  }
  bool seen = std::find(visited.begin(), visited.end(), source_name) != visited.end();
  // Naming itself is how a profile keeps its static keys and its role in one place.
  if (seen && (source_name != name || !HasStaticKeys(*source_profile))) {
    return Invalid(fmt::format("source_profile cycle: {}", Chain(visited, source_name)));
  }
  if (static_cast<int>(visited.size()) >= kMaxRoleChainDepth) {
    return Invalid(fmt::format("role chain longer than {} profiles: {}", kMaxRoleChainDepth,
                               Chain(visited, source_name)));
  }
  visited.push_back(source_name);
  if (!HasStaticKeys(*source_profile) && HasRoleConfig(*source_profile))
    return AssumeRole(source_name, visited);
  Result<Credentials> source = FromProfileSettings(source_name, /*use_env=*/false);
  if (!source && source.error().kind == ErrorKind::kNotFound) {
    return Invalid(
        fmt::format("the source_profile '{}' of profile '{}' has no credentials", source_name, name));
  }
  return source;
}

Result<Credentials> ProfileProvider::FromSource(const std::string& name, const Profile& profile) {
  std::string source_name = profile.Get("credential_source").value_or("");
  std::shared_ptr<CredentialsProvider> provider;
  if (EqualsIgnoreCase(source_name, "Environment")) {
    provider = options_.sources.environment;
  } else if (EqualsIgnoreCase(source_name, "Ec2InstanceMetadata")) {
    provider = options_.sources.ec2_instance_metadata;
  } else if (EqualsIgnoreCase(source_name, "EcsContainer")) {
    provider = options_.sources.ecs_container;
  } else {
    return Invalid(fmt::format(
        "the credential_source '{}' in profile '{}' is not valid (use Environment, Ec2InstanceMetadata or "
        "EcsContainer)",
        source_name, name));
  }
  if (provider == nullptr) {
    return Invalid(
        fmt::format("the credential_source '{}' in profile '{}' is not available", source_name, name));
  }
  Result<Credentials> creds = provider->Get();
  if (!creds && creds.error().kind == ErrorKind::kNotFound) {
    // Not "nothing here, move on": the profile asked for this source, so its absence is an error.
    return Invalid(fmt::format("no credentials found in the credential_source '{}' of profile '{}': {}",
                               source_name, name, creds.error().message));
  }
  if (!creds)
    return WithContext(creds.error(),
                       fmt::format("credential_source '{}' of profile '{}'", source_name, name));
  return creds;
}

Result<Credentials> ProfileProvider::FromProfileSettings(const std::string& name, bool use_env) {
  const Profile* profile = options_.config->Find(name);
  Result<std::optional<WebIdentitySettings>> web_identity =
      ResolveWebIdentitySettings(use_env ? &options_.env : nullptr, profile);
  if (!web_identity) return WithContext(web_identity.error(), fmt::format("profile '{}'", name));
  if (*web_identity) {
    return WebIdentityProvider(std::move(**web_identity), options_.sts, options_.sts_region, options_.clock)
        .Get();
  }
  if (profile == nullptr) {
    return MakeError(ErrorKind::kNotFound,
                     fmt::format("profile '{}' not found in {}", name, options_.config->DescribeFiles()));
  }
  Result<std::optional<SsoSettings>> sso = ResolveSsoSettings(*options_.config, *profile);
  if (!sso) return tl::unexpected(sso.error());
  if (*sso) return SsoProvider(std::move(**sso), options_.env, options_.sso, options_.clock).Get();
  if (const Profile* in_credentials = options_.config->FindInCredentialsFile(name);
      in_credentials != nullptr && in_credentials->Has("aws_access_key_id")) {
    return StaticKeys(*in_credentials, options_.config->credentials_path());
  }
  if (std::optional<std::string> command = profile->Get("credential_process"); command && !command->empty()) {
    return ProcessProvider(*command, options_.env, "process:" + name).Get();
  }
  if (const Profile* in_config = options_.config->FindInConfigFile(name);
      in_config != nullptr && in_config->Has("aws_access_key_id")) {
    return StaticKeys(*in_config, options_.config->config_path());
  }
  return MakeError(ErrorKind::kNotFound, fmt::format("profile '{}' has no credentials", name));
}

Result<Credentials> ProfileProvider::StaticKeys(const Profile& profile, const std::string& file) {
  Credentials creds;
  creds.access_key_id = profile.Get("aws_access_key_id").value_or("");
  creds.secret_access_key = profile.Get("aws_secret_access_key").value_or("");
  if (creds.empty()) {
    return Invalid(fmt::format("profile '{}' in {} needs both aws_access_key_id and aws_secret_access_key",
                               profile.name, file));
  }
  for (std::string_view key : {"aws_security_token", "aws_session_token"}) {
    if (std::optional<std::string> token = profile.Get(key)) {
      creds.session_token = *token;
      break;
    }
  }
  creds.source = "profile:" + profile.name;
  return creds;
}

}  // namespace cordon::aws
