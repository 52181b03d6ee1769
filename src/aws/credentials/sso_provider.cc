#include "aws/credentials/sso_provider.h"

#include <fmt/format.h>

#include <optional>

#include "aws/credentials/cache_file.h"
#include "base/json.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

// A string member of the token file, "" when absent or not a string.
std::string Field(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

// expiresAt as the AWS CLI writes it ("2024-03-01T12:00:00Z"; CLI v1 wrote "...UTC").
std::optional<TimePoint> FieldTime(const Json& doc, const char* key) {
  std::string text = Field(doc, key);
  if (EndsWith(text, "UTC")) text = text.substr(0, text.size() - 3) + "Z";
  return text.empty() ? std::nullopt : ParseTimestamp(text);
}

bool IsUnauthorized(const Error& error) {
  return error.code == "UnauthorizedException" || error.http_status == 401;
}

}  // namespace

tl::unexpected<Error> SsoProvider::LoginNeeded(std::string_view why) const {
  // The code the credential checks know (aws::IsCredentialRejection): exit code and wording of a
  // credentials problem, not of a missing instance or a bad argument.
  return MakeError(
      Error{ErrorKind::kAccessDenied,
            fmt::format("{} for the IAM Identity Center (SSO) profile '{}'; sign in with `aws sso "
                        "login --profile {}`",
                        why, settings_.profile, settings_.profile),
            "NoCredentials",
            0,
            {}});
}

Result<std::string> SsoProvider::AccessToken(const std::string& path) {
  Result<Json> doc = ReadCacheFile(path);
  if (!doc && doc.error().kind == ErrorKind::kNotFound)
    return LoginNeeded(fmt::format("no SSO token is cached in {}", path));
  if (!doc) return tl::unexpected(doc.error());
  std::string access_token = Field(*doc, "accessToken");
  std::optional<TimePoint> expires = FieldTime(*doc, "expiresAt");
  if (access_token.empty() || !expires)
    return LoginNeeded(fmt::format("the SSO token in {} is incomplete", path));
  TimePoint now = clock_->Now();
  if (now + kSsoTokenRefreshWindow < *expires) return access_token;

  SsoRefreshRequest refresh;
  refresh.region = settings_.region;
  refresh.client_id = Field(*doc, "clientId");
  refresh.client_secret = Field(*doc, "clientSecret");
  refresh.refresh_token = Field(*doc, "refreshToken");
  std::optional<TimePoint> registration_expires = FieldTime(*doc, "registrationExpiresAt");
  bool can_refresh = !refresh.client_id.empty() && !refresh.client_secret.empty() &&
                     !refresh.refresh_token.empty() && (!registration_expires || now < *registration_expires);
  if (!can_refresh || !sso_.create_token) {
    if (now < *expires) return access_token;
    return LoginNeeded("the SSO token has expired and cannot be refreshed");
  }
  Result<SsoNewToken> fresh = sso_.create_token(refresh);
  if (!fresh) {
    if (now < *expires) return access_token;  // still good for a few minutes
    return LoginNeeded(
        fmt::format("the SSO token has expired and refreshing it failed ({})", fresh.error().ToString()));
  }
  (*doc)["accessToken"] = fresh->access_token;
  (*doc)["expiresAt"] = FormatIso8601(now + fresh->expires_in);
  if (!fresh->refresh_token.empty()) (*doc)["refreshToken"] = fresh->refresh_token;
  // A token that works but could not be saved is still used; the next run refreshes again.
  (void)WriteCacheFile(path, *doc);
  return fresh->access_token;
}

Result<Credentials> SsoProvider::Get() {
  std::string path = SsoTokenCachePath(env_, settings_);
  if (path.empty()) return LoginNeeded("HOME is not set, so no SSO token cache can be found");
  Result<std::string> token = AccessToken(path);
  if (!token) return tl::unexpected(token.error());
  if (!sso_.get_role_credentials) return MakeError(ErrorKind::kInternal, "no SSO caller configured");
  SsoRoleRequest request{settings_.region, *token, settings_.account_id, settings_.role_name};
  Result<Credentials> creds = sso_.get_role_credentials(request);
  if (!creds && IsUnauthorized(creds.error())) return LoginNeeded("the SSO portal refused the cached token");
  if (!creds) {
    return WithContext(creds.error(), fmt::format("getting SSO role credentials ({} in account {})",
                                                  settings_.role_name, settings_.account_id));
  }
  creds->source =
      fmt::format("sso:{} ({} in account {})", settings_.profile, settings_.role_name, settings_.account_id);
  return creds;
}

}  // namespace cordon::aws
