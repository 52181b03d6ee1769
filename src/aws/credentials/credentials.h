// AWS credentials and the provider interface every source of them implements.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "base/time.h"

namespace cordon::aws {

// Secret material. Never print, log or store any field but `source` and `expiration`.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;            // empty for long-term keys
  std::optional<TimePoint> expiration;  // nullopt: does not expire
  std::string source;  // where they came from, e.g. "environment", "profile:prod" (safe to print)

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

// A source of credentials. Get() may do I/O (files, HTTP, STS) and must be thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Error kind kNotFound means "this source has nothing", so a chain moves on to the next one;
  // any other error stops the chain (a malformed file must not silently fall through).
  virtual Result<Credentials> Get() = 0;
  virtual std::string Name() const = 0;
};

}  // namespace cordon::aws
