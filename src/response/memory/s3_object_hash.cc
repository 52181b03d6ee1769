#include "response/memory/s3_object_hash.h"

#include <algorithm>

#include "base/hash.h"
#include "response/live_state.h"

namespace cordon::response {

Result<ObjectDigest> HashS3Object(const StepContext& ctx, const std::string& bucket, const std::string& key,
                                  int64_t chunk) {
  const std::string uri = "s3://" + bucket + "/" + key;
  auto head = ctx.Call("s3", "HeadObject", Json{{"Bucket", bucket}, {"Key", key}});
  if (!head) {
    Error e = head.error();
    if (IsNotFoundError(e) || e.http_status == 404) {
      e.kind = ErrorKind::kNotFound;
      e.message = uri + " does not exist";
    } else {
      e.message = uri + ": " + e.message;
    }
    return MakeError(e);
  }
  ObjectDigest digest;
  digest.size = head->value("ContentLength", int64_t{0});
  digest.etag = Str(*head, "ETag");
  Sha256Hasher hasher;
  aws::CallOptions options;
  options.region = ctx.target.region;
  for (int64_t offset = 0; offset < digest.size;) {
    const int64_t last = std::min(digest.size, offset + chunk) - 1;
    std::string bytes;
    options.payload_out = &bytes;
    Json input = {{"Bucket", bucket},
                  {"Key", key},
                  {"Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(last)}};
    if (!digest.etag.empty()) input["IfMatch"] = digest.etag;
    auto got = ctx.client->Call("s3", "GetObject", input, options);
    if (!got) {
      Error e = got.error();
      e.message = uri + " (bytes " + std::to_string(offset) + "-" + std::to_string(last) + "): " + e.message;
      return MakeError(e);
    }
    // A short answer would hash a different object than the one whose size we were told.
    if (bytes.empty() || static_cast<int64_t>(bytes.size()) > last - offset + 1)
      return MakeError(ErrorKind::kConflict, uri + ": range read returned " + std::to_string(bytes.size()) +
                                                 " bytes at offset " + std::to_string(offset));
    hasher.Update(bytes);
    offset += static_cast<int64_t>(bytes.size());
  }
  digest.sha256 = hasher.FinishHex();
  return digest;
}

}  // namespace cordon::response
