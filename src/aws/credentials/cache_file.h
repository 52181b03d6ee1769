// The JSON cache files the AWS CLI keeps under ~/.aws (sso/cache for IAM Identity Center tokens,
// cli/cache for assumed-role sessions): their names and how they are read and written.
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials/environment.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::aws {

// Lowercase hex SHA-1 of `text`: the AWS CLI names its cache files this way.
std::string Sha1Hex(std::string_view text);

// $HOME/.aws/<sub> (e.g. "sso/cache"), or "" when HOME is not set.
std::string AwsCacheDir(const Environment& env, std::string_view sub);

// The file parsed as a JSON object. kNotFound when it does not exist; kParse (naming the file, never
// quoting it: it holds secrets) when it is not a JSON object; kIo otherwise.
Result<Json> ReadCacheFile(const std::string& path);

// Replaces `path` with `doc` atomically: a private temporary file (0600) beside it, fsynced, renamed
// over it. Missing folders are made 0700, as the AWS CLI makes them. Errors name the file (kIo).
Status WriteCacheFile(const std::string& path, const Json& doc);

}  // namespace cordon::aws
