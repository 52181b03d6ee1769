// One object written to the evidence bucket with its SHA-256 checksum (x-amz-checksum-sha256, which
// S3 checks on receipt and keeps), then read back and compared, so a stored copy is known to be the
// bytes cordon has.
#pragma once

#include <cstdint>
#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

struct StoredObject {
  std::string key;
  std::string version_id;  // "" when the bucket has no versioning
  std::string sha256;      // lowercase hex
  int64_t size = 0;
  bool already = false;  // the current version already held these bytes: nothing was written

  Json ToJson() const;
};

// Puts `bytes` at s3://bucket/key with ChecksumAlgorithm SHA256 and its checksum, then GetObject of
// that version with ChecksumMode ENABLED: the checksum S3 returns and the SHA-256 of the bytes read
// must both equal the local one, else kConflict naming the object. With `skip_same`, an object whose
// current version already carries the same checksum is left alone (already = true).
[[nodiscard]] Result<StoredObject> PutChecked(aws::Client& client, const std::string& bucket,
                                              const std::string& key, const std::string& bytes,
                                              bool skip_same);

}  // namespace cordon::response
