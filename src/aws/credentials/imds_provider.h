// Credentials of the instance profile, from the EC2 instance metadata service (IMDSv2).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/shared_config.h"
#include "aws/http/http.h"

namespace cordon::aws {

struct ImdsSettings {
  std::string endpoint = "http://169.254.169.254/";
  bool disabled = false;     // AWS_EC2_METADATA_DISABLED=true
  bool v1_disabled = false;  // never fall back to token-less (IMDSv1) requests
  int attempts = 1;          // per request
  // How long one request may take. The Transport has no per-request timeout, so whoever builds the
  // metadata transport applies it (see MetadataHttpOptions).
  std::chrono::milliseconds timeout{1000};
};

// As botocore reads them: AWS_EC2_METADATA_DISABLED (environment only), then each of
// AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (IPv4 | IPv6),
// AWS_EC2_METADATA_V1_DISABLED, AWS_METADATA_SERVICE_TIMEOUT (seconds), AWS_METADATA_SERVICE_NUM_ATTEMPTS
// from the environment, else from the profile's ec2_metadata_service_endpoint, ..._endpoint_mode,
// ec2_metadata_v1_disabled, metadata_service_timeout, metadata_service_num_attempts.
// `profile` may be null. kInvalidArgument on a value that does not parse.
Result<ImdsSettings> ResolveImdsSettings(const Environment& env, const Profile* profile);

// Short timeouts for the transport that talks to IMDS and the container endpoint.
HttpOptions MetadataHttpOptions(const ImdsSettings& settings);

// The IMDSv2 flow: PUT <endpoint>/latest/api/token with X-aws-ec2-metadata-token-ttl-seconds: 21600,
// then GET /latest/meta-data/iam/security-credentials/ with X-aws-ec2-metadata-token for the role name,
// then GET .../<role> for the JSON credentials. When the token request answers 403, 404 or 405 or gets
// no answer, the GETs go without a token (IMDSv1) unless v1_disabled, as botocore does.
// Get(): kNotFound when disabled, not on EC2 (no answer), no role attached (404), or the answer is not
// usable: like botocore, this provider never stops the chain. `transport` must outlive the provider.
class ImdsProvider : public CredentialsProvider {
 public:
  ImdsProvider(ImdsSettings settings, Transport* transport)
      : settings_(std::move(settings)), transport_(transport) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "imds"; }

 private:
  std::string Url(std::string_view path) const;
  Result<std::optional<std::string>> FetchToken();
  // GET with up to `attempts` tries; a non-200, an empty body or (when `want_json`) a body that is not
  // JSON is retried. kNotFound when no try succeeded.
  Result<std::string> FetchWithRetry(std::string_view path, const std::optional<std::string>& token,
                                     bool want_json);

  ImdsSettings settings_;
  Transport* transport_;
};

}  // namespace cordon::aws
