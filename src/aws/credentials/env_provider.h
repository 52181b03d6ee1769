// Credentials from environment variables, as the AWS CLI reads them.
#pragma once

#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"

namespace cordon::aws {

// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the session token from AWS_SECURITY_TOKEN or else
// AWS_SESSION_TOKEN (botocore checks them in that order); an optional AWS_CREDENTIAL_EXPIRATION.
// The older AWS_ACCESS_KEY / AWS_SECRET_KEY names are not read (the CLI does not read them either).
// Get(): kNotFound when AWS_ACCESS_KEY_ID is unset or empty; kInvalidArgument when it is set but the
// secret is missing or the expiration does not parse.
class EnvProvider : public CredentialsProvider {
 public:
  explicit EnvProvider(Environment env) : env_(std::move(env)) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "environment"; }

 private:
  Environment env_;
};

}  // namespace cordon::aws
