// Where a case's evidence goes in S3: a bucket and a prefix, as `s3://BUCKET[/PREFIX]` names them.
// Objects of case C go under PREFIX/C/ (C/ without a prefix).
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cordon::response {

struct BucketRef {
  std::string bucket;
  std::string prefix;  // no leading or trailing '/'; may be empty

  // "s3://bucket/prefix" (or "s3://bucket").
  std::string Uri() const;
  // The key prefix of one case's objects, ending in '/': "prefix/CASE/".
  std::string CaseKeyPrefix(std::string_view case_id) const;
  bool operator==(const BucketRef&) const = default;
};

// A bucket name as S3 takes it (3-63 of a-z 0-9 . -).
bool IsBucketName(std::string_view name);

// A key part made of characters that need no escaping anywhere (S3 keys in URLs, a host's shell,
// moto's signature check): letters, digits, '/', '.', '_', '-', without "//" or "..".
bool IsPlainKey(std::string_view key);

// Parses "s3://BUCKET[/PREFIX]". kInvalidArgument naming `flag` for anything else.
[[nodiscard]] Result<BucketRef> ParseBucketUri(std::string_view text, std::string_view flag);

}  // namespace cordon::response
