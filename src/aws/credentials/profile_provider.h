// Credentials a shared-config profile describes: an assumed role (source_profile / credential_source),
// web identity, credential_process or static keys, resolved in botocore's order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/sts_caller.h"
#include "base/time.h"

namespace cordon::aws {

// The providers a role profile may name in credential_source. A null one is "not available here".
struct CredentialSources {
  std::shared_ptr<CredentialsProvider> environment;            // "Environment"
  std::shared_ptr<CredentialsProvider> ec2_instance_metadata;  // "Ec2InstanceMetadata"
  std::shared_ptr<CredentialsProvider> ecs_container;          // "EcsContainer"
};

struct ProfileProviderOptions {
  std::shared_ptr<const SharedConfig> config;  // required
  std::string profile = "default";
  Environment env;               // web identity variables, and the credential_process environment
  bool env_web_identity = true;  // false with --profile: AWS_WEB_IDENTITY_TOKEN_FILE etc. are ignored
  StsCaller sts;                 // required for role and web identity profiles
  std::string sts_region;        // AssumeRoleRequest::region
  CredentialSources sources;
  Clock* clock = nullptr;  // default role session names; null: the system clock
};

// A role chain may be this long (profiles assumed one after the other) before it is refused.
inline constexpr int kMaxRoleChainDepth = 16;

// Resolves `profile` as the AWS CLI does (botocore's AssumeRoleProvider, then its profile providers):
//  1. role_arn without web_identity_token_file: AssumeRole. The source credentials come from
//     credential_source (Environment | Ec2InstanceMetadata | EcsContainer), or from source_profile,
//     which is resolved by these same rules (without environment variables) when it has static keys
//     or no role, else assumes its own role first. A profile may name itself as source_profile only
//     when it holds static keys; any other repeat is a cycle. role_session_name (default
//     "botocore-session-<epoch>"), external_id and duration_seconds are passed on; mfa_serial is
//     refused, as an MFA code cannot be asked for non-interactively.
//  2. web identity (web_identity_token_file + role_arn, or the AWS_* variables; see
//     ResolveWebIdentitySettings);
//  3. sso_session / sso_start_url: refused with a workaround (not supported);
//  4. aws_access_key_id in the credentials file; 5. credential_process; 6. aws_access_key_id in the
//     config file. The session token is aws_security_token, else aws_session_token.
// Get(): kNotFound when the profile does not exist or configures none of these; kInvalidArgument for
// an inconsistent profile (partial keys, both or neither of source_profile and credential_source, a
// missing source profile, a cycle, MFA); otherwise the failing step's error. Each Get() resolves the
// whole chain again (wrap in a CachingProvider).
class ProfileProvider : public CredentialsProvider {
 public:
  explicit ProfileProvider(ProfileProviderOptions options);
  Result<Credentials> Get() override;
  std::string Name() const override { return "profile:" + options_.profile; }

 private:
  Result<Credentials> AssumeRole(const std::string& name, std::vector<std::string>& visited);
  Result<Credentials> FromSource(const std::string& name, const Profile& profile);
  // Steps 2 to 6 for `name`; `use_env` lets web identity read the AWS_* variables.
  Result<Credentials> FromProfileSettings(const std::string& name, bool use_env);
  Result<Credentials> StaticKeys(const Profile& profile, const std::string& file);

  ProfileProviderOptions options_;
};

}  // namespace cordon::aws
