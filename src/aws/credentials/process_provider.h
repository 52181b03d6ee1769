// Credentials printed by an external command: the `credential_process` profile setting.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"

namespace cordon::aws {

// Runs `command` with /bin/sh -c, with `env` as its environment, stdin inherited (so a helper may
// prompt on the terminal) and stdout/stderr captured, then parses stdout as the credential_process
// JSON document (see ParseCredentialProcessOutput).
// Errors (never kNotFound: a configured command that fails stops the chain, as in botocore):
//   kIo      the command could not be started, was killed by a signal, or did not exit within its
//            time (kCredentialProcessTimeout); it is then killed;
//   kService the command exited non-zero; the message carries the exit status and the last line of
//            its stderr, never its stdout;
//   kParse   the output is not a valid version 1 document.
// botocore waits forever; cordon does not, since a hung helper would hang a containment with it.
// How long a credential_process may run: long enough for a helper that asks for an MFA code on the
// terminal, short enough that a hung one fails the run while a responder still watches it.
// CORDON_CREDENTIAL_PROCESS_TIMEOUT ("30s", "5m") overrides it.
inline constexpr std::chrono::seconds kCredentialProcessTimeout{120};

class ProcessProvider : public CredentialsProvider {
 public:
  // `source` names the credentials, e.g. "process:prod".
  ProcessProvider(std::string command, Environment env, std::string source)
      : command_(std::move(command)), env_(std::move(env)), source_(std::move(source)) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return source_; }

 private:
  std::string command_;
  Environment env_;
  std::string source_;
};

// Parses {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ...,
// "Expiration": "<ISO 8601>"}; SessionToken and Expiration are optional (no Expiration: the
// credentials do not expire). Errors are kParse and never quote `output`.
Result<Credentials> ParseCredentialProcessOutput(std::string_view output, std::string_view source);

}  // namespace cordon::aws
