// Credentials from STS AssumeRoleWithWebIdentity with a token file (EKS IRSA, GitHub OIDC, ...).
#pragma once

#include <optional>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/sts_caller.h"
#include "base/time.h"

namespace cordon::aws {

struct WebIdentitySettings {
  std::string token_file;
  std::string role_arn;
  std::string session_name;  // empty: "botocore-session-<epoch seconds>"
};

// botocore's lookup: each of the three settings comes from its variable (AWS_WEB_IDENTITY_TOKEN_FILE,
// AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME) when `env` is given and the variable is set, else from
// `profile` (web_identity_token_file, role_arn, role_session_name). Pass env = nullptr when the
// profile was chosen with --profile (the CLI then ignores these variables); profile may be null.
// Returns nullopt when no token file is configured; kInvalidArgument when one is but no role ARN.
Result<std::optional<WebIdentitySettings>> ResolveWebIdentitySettings(const Environment* env,
                                                                      const Profile* profile);

// Reads the token file on every Get() (the files are rotated) and calls AssumeRoleWithWebIdentity.
// Errors: kIo when the token file cannot be read, kInvalidArgument when it is empty; otherwise the
// StsCaller's error. Never kNotFound. `clock` must outlive the provider.
class WebIdentityProvider : public CredentialsProvider {
 public:
  WebIdentityProvider(WebIdentitySettings settings, StsCaller sts, std::string region, Clock* clock)
      : settings_(std::move(settings)), sts_(std::move(sts)), region_(std::move(region)), clock_(clock) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "web-identity"; }

 private:
  WebIdentitySettings settings_;
  StsCaller sts_;
  std::string region_;
  Clock* clock_;
};

// "botocore-session-1700000000": the RoleSessionName the AWS CLI uses when none is configured.
std::string DefaultRoleSessionName(const Clock& clock);

}  // namespace cordon::aws
