// Client settings that come from the environment and the selected profile: region, endpoint URLs,
// retry attempts and mode.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "base/error.h"

namespace cordon::aws {

// Looks settings up as botocore does; command-line flags (--region, --endpoint-url), which beat all
// of these, are the caller's business. Empty values count as unset. Thread-compatible (const).
class ClientSettings {
 public:
  // `profile` is the selected profile's name (SelectProfile); it need not exist.
  ClientSettings(Environment env, std::shared_ptr<const SharedConfig> config, std::string profile)
      : env_(std::move(env)), config_(std::move(config)), profile_(std::move(profile)) {}

  // AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region`.
  std::optional<std::string> Region() const;

  // The endpoint URL configured for a service, in the SDKs' order:
  //   1. AWS_ENDPOINT_URL_<ID>, ID = `service_id` uppercased with spaces and '-' as '_'
  //      ("Elastic Load Balancing v2" -> AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2);
  //   2. AWS_ENDPOINT_URL;
  //   3. in the [services NAME] section the profile's `services` names, the sub-section of the
  //      lowercased ID ("elastic_load_balancing_v2 =" then "  endpoint_url = ...");
  //   4. the profile's `endpoint_url`.
  // `service_id` is the model's metadata.serviceId ("EC2", "S3", "Auto Scaling"). nullopt when none is
  // set or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is true.
  // kInvalidArgument when the profile names a services section that does not exist.
  Result<std::optional<std::string>> EndpointUrl(std::string_view service_id) const;

  // AWS_MAX_ATTEMPTS, then the profile's `max_attempts`; kInvalidArgument unless a positive integer.
  Result<std::optional<int>> MaxAttempts() const;
  // AWS_RETRY_MODE, then the profile's `retry_mode`; kInvalidArgument unless legacy, standard or adaptive.
  Result<std::optional<std::string>> RetryMode() const;

  // AWS_CA_BUNDLE, then the profile's `ca_bundle`: a PEM file of the CAs to trust.
  std::optional<std::string> CaBundle() const { return Lookup("AWS_CA_BUNDLE", "ca_bundle"); }

  const std::string& profile() const { return profile_; }

 private:
  // The variable when set and non-empty, else the profile's key when non-empty.
  std::optional<std::string> Lookup(std::string_view variable, std::string_view key) const;

  Environment env_;
  std::shared_ptr<const SharedConfig> config_;
  std::string profile_;
};

// "Elastic Load Balancing v2" -> "elastic_load_balancing_v2": the key of a service in [services x].
std::string ServiceIdSnakeCase(std::string_view service_id);

}  // namespace cordon::aws
