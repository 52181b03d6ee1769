// The AWS CLI's cache of assumed-role sessions (~/.aws/cli/cache/<key>.json), used for MFA profiles
// so that one MFA code serves until the session expires, as it does for the CLI.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/credentials/credentials.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/sts_caller.h"
#include "base/time.h"

namespace cordon::aws {

// A cached session is reused while it has more than this left (botocore's CachedCredentialFetcher).
inline constexpr std::chrono::minutes kRoleCacheExpiryWindow{15};

// <HOME>/.aws/cli/cache/<key>.json, where key is botocore's AssumeRoleCredentialFetcher
// _create_cache_key(): the SHA-1 hex of json.dumps(AssumeRole's arguments, sort_keys=True) without
// TokenCode, and without RoleSessionName unless the profile configured it (`configured_session_name`).
// "" without HOME.
std::string RoleCachePath(const Environment& env, const AssumeRoleRequest& request,
                          bool configured_session_name);

// The cached session, when the file holds one ({"Credentials": {AccessKeyId, SecretAccessKey,
// SessionToken, Expiration}}) that is good for more than kRoleCacheExpiryWindow. Anything else
// (missing, malformed, expiring) is nullopt: the caller assumes the role again.
std::optional<Credentials> LoadCachedRole(const std::string& path, TimePoint now);

// Writes the session in the CLI's format (0600, atomically). A failure is returned for the caller
// to ignore or report: the credentials are good either way.
Status StoreCachedRole(const std::string& path, const Credentials& creds);

}  // namespace cordon::aws
