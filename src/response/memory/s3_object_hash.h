// SHA-256 of an S3 object computed on the evidence side (DESIGN.md §3 rule 7), reading it in
// ranged GETs so a multi-GB memory image is never held in memory or written to the responder's disk.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"
#include "response/step.h"

namespace cordon::response {

struct ObjectDigest {
  std::string sha256;  // lowercase hex
  int64_t size = 0;
  std::string etag;
};

// Hashes s3://bucket/key in the target's region, `chunk` bytes per GetObject. Every range is read
// with IfMatch on the first ETag, so an object replaced mid-read fails instead of hashing a mix.
// kNotFound when the object does not exist.
Result<ObjectDigest> HashS3Object(const StepContext& ctx, const std::string& bucket, const std::string& key,
                                  int64_t chunk = int64_t{8} << 20);

}  // namespace cordon::response
