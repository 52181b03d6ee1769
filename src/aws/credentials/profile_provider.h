// Credentials a shared-config profile describes: an assumed role (source_profile / credential_source),
// web identity, credential_process or static keys, resolved in botocore's order.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/sso_provider.h"
#include "aws/credentials/sts_caller.h"
#include "base/time.h"

namespace cordon::aws {

// The providers a role profile may name in credential_source. A null one is "not available here".
struct CredentialSources {
  std::shared_ptr<CredentialsProvider> environment;            // "Environment"
  std::shared_ptr<CredentialsProvider> ec2_instance_metadata;  // "Ec2InstanceMetadata"
  std::shared_ptr<CredentialsProvider> ecs_container;          // "EcsContainer"
};

// Asks for the code of the MFA device `serial` that profile `profile` names (a terminal prompt, or
// --mfa-code). Errors say why no code can be had; they stop the chain.
using MfaCodeReader =
    std::function<Result<std::string>(const std::string& profile, const std::string& serial)>;

struct ProfileProviderOptions {
  std::shared_ptr<const SharedConfig> config;  // required
  std::string profile = "default";
  Environment env;               // web identity variables, and the credential_process environment
  bool env_web_identity = true;  // false with --profile: AWS_WEB_IDENTITY_TOKEN_FILE etc. are ignored
  StsCaller sts;                 // required for role and web identity profiles
  std::string sts_region;        // AssumeRoleRequest::region
  CredentialSources sources;
  SsoCaller sso;           // for IAM Identity Center (SSO) profiles
  MfaCodeReader mfa_code;  // for role profiles with mfa_serial; null: such profiles are refused
  Clock* clock = nullptr;  // default role session names, token expiry; null: the system clock
};

// A role chain may be this long (profiles assumed one after the other) before it is refused.
inline constexpr int kMaxRoleChainDepth = 16;

// Resolves `profile` as the AWS CLI does (botocore's AssumeRoleProvider, then its profile providers):
//  1. role_arn without web_identity_token_file: AssumeRole. The source credentials come from
//     credential_source (Environment | Ec2InstanceMetadata | EcsContainer), or from source_profile,
//     which is resolved by these same rules (without environment variables) when it has static keys
//     or no role, else assumes its own role first. A profile may name itself as source_profile only
//     when it holds static keys; any other repeat is a cycle. role_session_name (default
//     "botocore-session-<epoch>"), external_id and duration_seconds are passed on. With mfa_serial,
//     the session cached in ~/.aws/cli/cache (role_cache.h) is reused while it lasts; otherwise the
//     code from `mfa_code` goes with SerialNumber as TokenCode, and the new session is cached (0600).
//  2. web identity (web_identity_token_file + role_arn, or the AWS_* variables; see
//     ResolveWebIdentitySettings);
//  3. sso_session / sso_start_url: IAM Identity Center (SsoProvider with ResolveSsoSettings);
//  4. aws_access_key_id in the credentials file; 5. credential_process; 6. aws_access_key_id in the
//     config file. The session token is aws_security_token, else aws_session_token.
// Get(): kNotFound when the profile does not exist or configures none of these; kInvalidArgument for
// an inconsistent profile (partial keys, both or neither of source_profile and credential_source, a
// missing source profile, a cycle, incomplete SSO settings); otherwise the failing step's error. Each Get()
// resolves the whole chain again (wrap in a CachingProvider).
class ProfileProvider : public CredentialsProvider {
 public:
  explicit ProfileProvider(ProfileProviderOptions options);
  Result<Credentials> Get() override;
  std::string Name() const override { return "profile:" + options_.profile; }

 private:
  Result<Credentials> AssumeRole(const std::string& name, std::vector<std::string>& visited);
  Result<AssumeRoleRequest> RoleRequest(const std::string& name, const Profile& profile);
  Result<Credentials> RoleSource(const std::string& name, const Profile& profile,
                                 std::vector<std::string>& visited);
  Result<Credentials> FromSource(const std::string& name, const Profile& profile);
  // Steps 2 to 6 for `name`; `use_env` lets web identity read the AWS_* variables.
  Result<Credentials> FromProfileSettings(const std::string& name, bool use_env);
  Result<Credentials> StaticKeys(const Profile& profile, const std::string& file);

  ProfileProviderOptions options_;
};

}  // namespace cordon::aws
