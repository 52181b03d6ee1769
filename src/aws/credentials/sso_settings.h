// The IAM Identity Center (SSO) settings of a profile, in both of the AWS CLI's forms, and where
// `aws sso login` caches the session's token.
#pragma once

#include <optional>
#include <string>

#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "base/error.h"

namespace cordon::aws {

struct SsoSettings {
  std::string profile;  // the profile that named these settings (for messages)
  std::string session;  // the [sso-session NAME]; empty for the legacy form
  std::string start_url;
  std::string region;  // sso_region: where the portal and OIDC endpoints are
  std::string account_id;
  std::string role_name;
};

// nullopt when the profile sets neither sso_session nor sso_start_url. Otherwise, as botocore reads
// them:
//   - the sso_session form: sso_account_id and sso_role_name in the profile; sso_start_url and
//     sso_region in [sso-session NAME], which must exist. The profile may repeat sso_start_url or
//     sso_region only with the same value;
//   - the legacy form: sso_start_url, sso_region, sso_account_id and sso_role_name in the profile.
// kInvalidArgument naming the profile and every missing setting, or the inconsistent one.
Result<std::optional<SsoSettings>> ResolveSsoSettings(const SharedConfig& config, const Profile& profile);

// The token cache file: <HOME>/.aws/sso/cache/<SHA-1 hex>.json, of the session name for the
// sso_session form, of the start URL for the legacy form (botocore's SSOTokenLoader). "" without HOME.
std::string SsoTokenCachePath(const Environment& env, const SsoSettings& settings);

}  // namespace cordon::aws
