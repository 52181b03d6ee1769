#include "aws/credentials/env_provider.h"

namespace cordon::aws {

Result<Credentials> EnvProvider::Get() {
  std::optional<std::string> access_key = env_.GetNonEmpty("AWS_ACCESS_KEY_ID");
  if (!access_key) return MakeError(ErrorKind::kNotFound, "AWS_ACCESS_KEY_ID is not set");
  std::optional<std::string> secret_key = env_.GetNonEmpty("AWS_SECRET_ACCESS_KEY");
  if (!secret_key) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not (partial credentials)");
  }
  Credentials creds;
  creds.access_key_id = *access_key;
  creds.secret_access_key = *secret_key;
  creds.session_token =
      env_.GetNonEmpty("AWS_SECURITY_TOKEN").value_or(env_.GetNonEmpty("AWS_SESSION_TOKEN").value_or(""));
  if (std::optional<std::string> expiration = env_.GetNonEmpty("AWS_CREDENTIAL_EXPIRATION")) {
    creds.expiration = ParseTimestamp(*expiration);
    if (!creds.expiration) {
      return MakeError(ErrorKind::kInvalidArgument, "AWS_CREDENTIAL_EXPIRATION is not a timestamp");
    }
  }
  creds.source = "environment";
  return creds;
}

}  // namespace cordon::aws
