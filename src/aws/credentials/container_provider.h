// Credentials from the ECS / EKS Pod Identity container credentials endpoint.
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/http/http.h"
#include "base/time.h"

namespace cordon::aws {

// Active only when AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (fetched from http://169.254.170.2<uri>) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI is set; the relative one wins. The Authorization header comes from
// the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read on every Get, it is rotated), else
// from AWS_CONTAINER_AUTHORIZATION_TOKEN. A full URI must be https, or http to a loopback address or
// one of the ECS/EKS hosts (ContainerHostAllowed). Up to 3 attempts, 1 s apart, as botocore.
// Get(): kNotFound when neither variable is set; otherwise a failure stops the chain:
// kInvalidArgument (URI not allowed, token with a line break), kIo (token file), kNetwork,
// kService (non-200, http_status set), kParse (not a credentials document).
// `transport` and `clock` must outlive the provider. The transport should give up quickly
// (botocore uses a 2 s timeout); the clock does the sleeping between attempts.
class ContainerProvider : public CredentialsProvider {
 public:
  ContainerProvider(Environment env, Transport* transport, Clock* clock)
      : env_(std::move(env)), transport_(transport), clock_(clock) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "container"; }

 private:
  Result<Credentials> FetchOnce(const HttpRequest& request);

  Environment env_;
  Transport* transport_;
  Clock* clock_;
};

// Whether `url` may serve container credentials: https to anywhere, or http to 127.0.0.0/8, ::1,
// localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23.
bool ContainerHostAllowed(std::string_view url);

}  // namespace cordon::aws
