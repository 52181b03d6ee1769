#include "aws/credentials/chain.h"

#include <fmt/format.h>

#include "aws/credentials/container_provider.h"
#include "aws/credentials/env_provider.h"
#include "aws/credentials/imds_provider.h"
#include "aws/credentials/profile_provider.h"
#include "base/strings.h"

namespace cordon::aws {

Result<Credentials> ProviderChain::Get() {
  std::shared_ptr<CredentialsProvider> chosen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    chosen = chosen_;
  }
  if (chosen != nullptr) {
    Result<Credentials> creds = chosen->Get();
    if (!creds) return WithContext(creds.error(), chosen->Name());
    return creds;
  }

  std::string tried;
  for (const std::shared_ptr<CredentialsProvider>& provider : providers_) {
    Result<Credentials> creds = provider->Get();
    if (creds) {
      std::lock_guard<std::mutex> lock(mu_);
      if (chosen_ == nullptr) chosen_ = provider;
      return creds;
    }
    if (creds.error().kind != ErrorKind::kNotFound) return WithContext(creds.error(), provider->Name());
    tried += fmt::format("{}  {}: {}", tried.empty() ? "" : "\n", provider->Name(), creds.error().message);
  }
  // Not kNotFound: a caller looking up an instance must never read "no credentials" as "no such
  // instance" (issue 17). An access problem, with the code the credential checks know.
  Error error{ErrorKind::kAccessDenied,
              "no AWS credentials found; tried:\n" + tried +
                  "\nsign in (`aws sso login --profile NAME`), pass --profile, or set AWS_PROFILE or "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
              "NoCredentials",
              0,
              {}};  // listed in aws::IsCredentialRejection
  return MakeError(std::move(error));
}

std::string ProviderChain::Name() const {
  std::string out = "chain(";
  for (size_t i = 0; i < providers_.size(); ++i) out += (i ? ", " : "") + providers_[i]->Name();
  return out + ")";
}

Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsChain(const DefaultChainOptions& options) {
  ProfileSelection selection = SelectProfile(options.env, options.profile_flag);
  const Profile* profile = options.config->Find(selection.name);
  if (selection.named && profile == nullptr) {
    std::string message =
        fmt::format("profile '{}' not found in {}", selection.name, options.config->DescribeFiles());
    std::vector<std::string> close = ClosestMatches(selection.name, options.config->ProfileNames());
    if (!close.empty()) message += fmt::format("; did you mean '{}'?", close.front());
    return MakeError(ErrorKind::kInvalidArgument, message);
  }
  Clock* clock = options.clock != nullptr ? options.clock : SystemClock::Default();

  auto env_provider = std::make_shared<EnvProvider>(options.env);
  std::shared_ptr<CredentialsProvider> container, imds;
  if (options.metadata_transport != nullptr) {
    Result<ImdsSettings> imds_settings = ResolveImdsSettings(options.env, profile);
    if (!imds_settings) return tl::unexpected(imds_settings.error());
    container = std::make_shared<ContainerProvider>(options.env, options.metadata_transport, clock);
    imds = std::make_shared<ImdsProvider>(std::move(*imds_settings), options.metadata_transport);
  }

  ProfileProviderOptions profile_options;
  profile_options.config = options.config;
  profile_options.profile = selection.name;
  profile_options.env = options.env;
  profile_options.env_web_identity = !selection.from_flag;
  profile_options.sts = options.sts;
  profile_options.sts_region = options.sts_region;
  profile_options.sources = CredentialSources{env_provider, imds, container};
  profile_options.sso = options.sso;
  profile_options.mfa_code = options.mfa_code;
  profile_options.clock = clock;

  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  if (!selection.from_flag) providers.push_back(env_provider);
  providers.push_back(std::make_shared<ProfileProvider>(std::move(profile_options)));
  if (container != nullptr) providers.push_back(container);
  if (imds != nullptr) providers.push_back(imds);
  return std::shared_ptr<CredentialsProvider>(std::make_shared<ProviderChain>(std::move(providers)));
}

}  // namespace cordon::aws
