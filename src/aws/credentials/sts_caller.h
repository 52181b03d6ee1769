// The seam through which credential providers call AWS STS (AssumeRole, AssumeRoleWithWebIdentity).
// The AWS client implements it; it depends on this library, so the call is injected, not linked.
#pragma once

#include <functional>
#include <string>

#include "aws/credentials/credentials.h"
#include "base/error.h"

namespace cordon::aws {

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;        // RoleSessionName, always set
  std::string external_id;         // ExternalId; empty: not sent
  std::string serial_number;       // SerialNumber (the profile's mfa_serial); empty: not sent
  std::string token_code;          // TokenCode, the MFA code; sent with serial_number
  std::string web_identity_token;  // set only for AssumeRoleWithWebIdentity (secret: never log it)
  int duration_seconds = 0;        // DurationSeconds; 0: not sent (STS defaults to one hour)
  std::string region;              // region of the STS endpoint; empty: the client's default
};

// Calls STS and returns the temporary credentials with their expiration. `source` signs an AssumeRole
// call; it is empty (Credentials::empty()) for AssumeRoleWithWebIdentity, which is sent unsigned.
// Errors are the client's (kAccessDenied, kThrottled, ...); they must not include the token or keys.
using StsCaller = std::function<Result<Credentials>(const AssumeRoleRequest&, const Credentials& source)>;

}  // namespace cordon::aws
