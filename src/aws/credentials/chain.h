// The default credentials chain: environment, profile, container, instance metadata.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/profile_provider.h"
#include "aws/credentials/shared_config.h"
#include "aws/credentials/sso_provider.h"
#include "aws/credentials/sts_caller.h"
#include "aws/http/http.h"
#include "base/time.h"

namespace cordon::aws {

// Asks each provider in turn. A kNotFound moves on; the first credentials win; any other error stops
// the chain and is returned with the provider's name in front. Once a provider has answered, later
// calls ask only that one (the SDKs resolve the source once and then refresh from it). When every
// provider has nothing, the kNotFound error lists what each one said. Thread-safe.
class ProviderChain : public CredentialsProvider {
 public:
  explicit ProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  Result<Credentials> Get() override;
  std::string Name() const override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> chosen_;  // guarded by mu_
};

struct DefaultChainOptions {
  Environment env;
  std::shared_ptr<const SharedConfig> config;  // required (LoadSharedConfig)
  std::optional<std::string> profile_flag;     // --profile
  StsCaller sts;                               // for role and web identity profiles
  std::string sts_region;                      // usually ClientSettings::Region()
  SsoCaller sso;                               // for IAM Identity Center (SSO) profiles
  MfaCodeReader mfa_code;                      // for role profiles with mfa_serial
  // Talks to IMDS and the container endpoint; should have short timeouts (MetadataHttpOptions).
  // Null leaves both providers out. Must outlive the chain.
  Transport* metadata_transport = nullptr;
  Clock* clock = nullptr;  // null: the system clock. Must outlive the chain.
};

// The AWS CLI's chain, in its order:
//  1. environment (EnvProvider) -- skipped when --profile is given, as the CLI skips it;
//  2. the selected profile (ProfileProvider): assumed role (with MFA), web identity (the
//     AWS_WEB_IDENTITY_* / AWS_ROLE_* variables are read here, as botocore does, before any static
//     keys), IAM Identity Center (SSO), process, keys;
//  3. container credentials (ContainerProvider); 4. instance metadata (ImdsProvider).
// The profile is SelectProfile(env, profile_flag). A profile chosen by name (flag, AWS_PROFILE or
// AWS_DEFAULT_PROFILE) that does not exist is a kInvalidArgument here, not a fall-through:
// "profile 'x' not found in <config> or <credentials>". Other errors: the IMDS settings
// (ResolveImdsSettings). The result is not cached: wrap it in a CachingProvider.
Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsChain(const DefaultChainOptions& options);

}  // namespace cordon::aws
