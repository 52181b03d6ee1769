#include "response/bucket/write_once.h"

namespace cordon::response {

std::string ObjectLockState::Describe() const {
  if (!enabled) return "no Object Lock";
  if (mode.empty()) return "Object Lock on, no default retention";
  return mode + ", " + (years > 0 ? std::to_string(years) + " year(s)" : std::to_string(days) + " day(s)");
}

Json ObjectLockState::ToJson() const {
  return Json{{"enabled", enabled}, {"mode", mode}, {"days", days}, {"years", years}};
}

Result<ObjectLockState> ReadObjectLock(aws::Client& client, const std::string& bucket) {
  auto got = client.Call("s3", "GetObjectLockConfiguration", Json{{"Bucket", bucket}});
  ObjectLockState state;
  if (!got) {
    Error e = got.error();
    if (e.code == "ObjectLockConfigurationNotFoundError") return state;
    if (e.code == "NoSuchBucket") e.kind = ErrorKind::kNotFound;
    e.message = "s3://" + bucket + ": " + e.message;
    return MakeError(e);
  }
  const Json config = got->value("ObjectLockConfiguration", Json::object());
  state.enabled = config.value("ObjectLockEnabled", "") == "Enabled";
  const Json retention = config.value("Rule", Json::object()).value("DefaultRetention", Json::object());
  state.mode = retention.value("Mode", "");
  state.days = retention.value("Days", 0);
  state.years = retention.value("Years", 0);
  return state;
}

Result<ObjectLockState> RequireWriteOnce(aws::Client& client, const BucketRef& ref, bool allow_unlocked,
                                         std::string_view flag) {
  auto state = ReadObjectLock(client, ref.bucket);
  if (!state) return state;
  if (state->write_once() || allow_unlocked) return state;
  const std::string why =
      state->enabled ? "Object Lock is on but sets no default retention, so evidence written without a "
                       "retention of its own can be deleted"
                     : "it has no Object Lock, so anyone who can write to it can overwrite or delete the "
                       "evidence";
  return MakeError(ErrorKind::kInvalidArgument,
                   std::string(flag) + " s3://" + ref.bucket + " is not write-once: " + why +
                       ". Make a write-once bucket with `cordon evidence-bucket create s3://NAME` (Object "
                       "Lock, default retention, versioning, SSE-KMS, no public access), or pass " +
                       std::string(kAllowUnlockedFlag) + " to use this one anyway");
}

}  // namespace cordon::response
