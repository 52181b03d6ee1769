#include "aws/credentials/web_identity_provider.h"

#include <fmt/format.h>

#include "base/read_file.h"

namespace cordon::aws {
namespace {

std::optional<std::string> Lookup(const Environment* env, std::string_view variable, const Profile* profile,
                                  std::string_view key) {
  if (env != nullptr) {
    if (std::optional<std::string> value = env->Get(variable)) return value;
  }
  if (profile != nullptr) return profile->Get(key);
  return std::nullopt;
}

}  // namespace

std::string DefaultRoleSessionName(const Clock& clock) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  return fmt::format("botocore-session-{}", seconds);
}

Result<std::optional<WebIdentitySettings>> ResolveWebIdentitySettings(const Environment* env,
                                                                      const Profile* profile) {
  std::optional<std::string> token_file =
      Lookup(env, "AWS_WEB_IDENTITY_TOKEN_FILE", profile, "web_identity_token_file");
  if (!token_file || token_file->empty()) return std::nullopt;
  std::optional<std::string> role_arn = Lookup(env, "AWS_ROLE_ARN", profile, "role_arn");
  if (!role_arn || role_arn->empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "a web identity token file is configured but no role ARN; set role_arn in the profile "
                     "or AWS_ROLE_ARN");
  }
  WebIdentitySettings settings;
  settings.token_file = *token_file;
  settings.role_arn = *role_arn;
  settings.session_name = Lookup(env, "AWS_ROLE_SESSION_NAME", profile, "role_session_name").value_or("");
  return settings;
}

Result<Credentials> WebIdentityProvider::Get() {
  Result<std::string> token = ReadSmallFile(settings_.token_file);
  if (!token) {
    // Not kNotFound even for a missing file: the token file was configured, so its absence is an error.
    return MakeError(ErrorKind::kIo, "web identity token: " + token.error().message);
  }
  if (token->empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     fmt::format("web identity: the token file {} is empty", settings_.token_file));
  }
  AssumeRoleRequest request;
  request.role_arn = settings_.role_arn;
  request.session_name =
      settings_.session_name.empty() ? DefaultRoleSessionName(*clock_) : settings_.session_name;
  request.web_identity_token = std::move(*token);  // as read: botocore does not trim it
  request.region = region_;
  Result<Credentials> creds = sts_(request, Credentials{});
  if (!creds) return WithContext(creds.error(), fmt::format("web identity ({})", settings_.role_arn));
  creds->source = "web-identity:" + settings_.role_arn;
  return creds;
}

}  // namespace cordon::aws
