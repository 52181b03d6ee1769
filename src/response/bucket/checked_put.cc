#include "response/bucket/checked_put.h"

#include "base/encoding.h"
#include "base/hash.h"

namespace cordon::response {
namespace {

Error PutError(Error e, const std::string& uri, const std::string& what) {
  e.message = uri + ": " + what + ": " + e.message;
  return e;
}

// The current version's checksum, "" when the object is missing or carries none.
Result<std::string> CurrentChecksum(aws::Client& client, const std::string& bucket, const std::string& key) {
  auto head =
      client.Call("s3", "HeadObject", Json{{"Bucket", bucket}, {"Key", key}, {"ChecksumMode", "ENABLED"}});
  if (!head) {
    if (head.error().http_status == 404) return std::string();
    return MakeError(head.error());
  }
  return head->value("ChecksumSHA256", "");
}

}  // namespace

Json StoredObject::ToJson() const {
  return Json{{"key", key}, {"version_id", version_id}, {"sha256", sha256}, {"size", size}};
}

Result<StoredObject> PutChecked(aws::Client& client, const std::string& bucket, const std::string& key,
                                const std::string& bytes, bool skip_same) {
  const std::string uri = "s3://" + bucket + "/" + key;
  const std::string digest = Sha256(bytes);
  const std::string checksum = Base64Encode(digest);
  StoredObject out;
  out.key = key;
  out.sha256 = HexEncode(digest);
  out.size = static_cast<int64_t>(bytes.size());
  if (skip_same) {
    auto current = CurrentChecksum(client, bucket, key);
    if (!current) return MakeError(PutError(current.error(), uri, "HeadObject"));
    if (*current == checksum) {
      out.already = true;
      return out;
    }
  }
  auto put = client.Call("s3", "PutObject",
                         Json{{"Bucket", bucket},
                              {"Key", key},
                              {"Body", Base64Encode(bytes)},
                              {"ChecksumAlgorithm", "SHA256"},
                              {"ChecksumSHA256", checksum}});
  if (!put) return MakeError(PutError(put.error(), uri, "PutObject"));
  out.version_id = put->value("VersionId", "");
  // Read back what S3 now holds (that version, when there are versions) and compare both ways.
  std::string back;
  aws::CallOptions options;
  options.payload_out = &back;
  Json get = {{"Bucket", bucket}, {"Key", key}, {"ChecksumMode", "ENABLED"}};
  if (!out.version_id.empty()) get["VersionId"] = out.version_id;
  auto got = client.Call("s3", "GetObject", get, options);
  if (!got) return MakeError(PutError(got.error(), uri, "reading it back"));
  const std::string stored = got->value("ChecksumSHA256", "");
  if (stored != checksum || Sha256(back) != digest)
    return MakeError(ErrorKind::kConflict, uri + ": read back, it is not what was written (SHA-256 " +
                                               out.sha256 + ", S3 says " +
                                               (stored.empty() ? "no checksum" : "checksum " + stored) +
                                               ", the bytes read hash to " + Sha256Hex(back) + ")");
  return out;
}

}  // namespace cordon::response
