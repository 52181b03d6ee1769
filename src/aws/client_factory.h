// Builds a Client the way the AWS CLI configures itself: flags, then environment, then the shared
// config files; the standard credentials chain; libcurl for HTTP.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/client.h"
#include "base/error.h"

namespace cordon::aws {

struct ClientFlags {
  std::optional<std::string> region;        // --region
  std::optional<std::string> profile;       // --profile
  std::optional<std::string> endpoint_url;  // --endpoint-url: every service
  std::optional<int> max_attempts;          // --max-attempts
  std::optional<double> max_rate;           // --max-rate: calls a second per service (ClientOptions)
  std::optional<int> connect_timeout;    // --connect-timeout, seconds (the AWS CLI's --cli-connect-timeout)
  std::optional<int> read_timeout;       // --read-timeout, seconds (--cli-read-timeout)
  std::optional<std::string> ca_bundle;  // --ca-bundle, else AWS_CA_BUNDLE, else the profile's ca_bundle
  std::optional<std::string> mfa_code;   // --mfa-code, for a role profile with mfa_serial (else a prompt)
};

// Fails (kInvalidArgument) on a malformed config file, a named profile that does not exist, or bad
// settings; credentials themselves are resolved lazily on the first call.
Result<std::shared_ptr<Client>> MakeClient(const ClientFlags& flags);

// A client like `base` (endpoints, retries, transport) acting as `role_arn`: its credentials come
// from STS AssumeRole signed with base's, cached and refreshed before they expire. For a second
// account (the forensic account of `cordon lab`). Nothing is called until the first request.
std::shared_ptr<Client> MakeAssumedRoleClient(const Client& base, const std::string& role_arn,
                                              const std::string& session_name);

}  // namespace cordon::aws
