// Credentials for an IAM Identity Center (SSO) profile: the token `aws sso login` cached, refreshed
// through SSO OIDC when it is about to expire, traded for role credentials at the SSO portal.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/sso_settings.h"
#include "base/error.h"
#include "base/time.h"

namespace cordon::aws {

// sso-oidc CreateToken with grant_type refresh_token. Every field but `region` is a secret.
struct SsoRefreshRequest {
  std::string region;
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
};
struct SsoNewToken {
  std::string access_token;
  std::chrono::seconds expires_in{0};
  std::string refresh_token;  // empty: keep the old one
};

// sso GetRoleCredentials. `access_token` is a secret.
struct SsoRoleRequest {
  std::string region;
  std::string access_token;
  std::string account_id;
  std::string role_name;
};

// The seam to the two unsigned SSO APIs (the AWS client implements it; it depends on this library).
// Errors are the client's and never hold a token.
struct SsoCaller {
  std::function<Result<SsoNewToken>(const SsoRefreshRequest&)> create_token;
  std::function<Result<Credentials>(const SsoRoleRequest&)> get_role_credentials;
};

// Within this of its expiry a cached token is refreshed (when it can be), as the SDKs do.
inline constexpr std::chrono::minutes kSsoTokenRefreshWindow{5};

// Each Get():
//  1. reads the token file (SsoTokenCachePath): accessToken, expiresAt, and for a refresh
//     refreshToken, clientId, clientSecret, registrationExpiresAt;
//  2. when it expires within kSsoTokenRefreshWindow and has a refresh token and an unexpired client
//     registration, calls CreateToken and writes the new token back to the file (atomically, 0600,
//     keeping the file's other fields); a failed refresh of a token that has not expired yet keeps it;
//  3. calls GetRoleCredentials for the account and role.
// Errors: no token file, an expired token that cannot be refreshed, or a token the portal refuses
// (UnauthorizedException) are credentials errors (kAccessDenied, code "NoCredentials") telling the
// user to run `aws sso login --profile NAME`; kParse for a malformed file; otherwise the failing call's
// error. Never kNotFound; no message holds a token. `clock` must outlive the provider.
class SsoProvider : public CredentialsProvider {
 public:
  SsoProvider(SsoSettings settings, Environment env, SsoCaller sso, Clock* clock)
      : settings_(std::move(settings)), env_(std::move(env)), sso_(std::move(sso)), clock_(clock) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "sso:" + settings_.profile; }

 private:
  // The access token to use, refreshed (and written back) when needed.
  Result<std::string> AccessToken(const std::string& path);
  tl::unexpected<Error> LoginNeeded(std::string_view why) const;

  SsoSettings settings_;
  Environment env_;
  SsoCaller sso_;
  Clock* clock_;
};

}  // namespace cordon::aws
