// Is a bucket write-once? Object Lock on with a default retention, as `cordon evidence-bucket create`
// makes it. Every command that writes evidence asks before its first change (DESIGN.md rule 12).
#pragma once

#include <string>
#include <string_view>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "response/bucket/bucket_ref.h"

namespace cordon::response {

// The bucket's Object Lock configuration (GetObjectLockConfiguration).
struct ObjectLockState {
  bool enabled = false;  // ObjectLockEnabled = Enabled
  std::string mode;      // the default retention's COMPLIANCE or GOVERNANCE; "" without one
  int days = 0, years = 0;

  bool write_once() const { return enabled && !mode.empty() && (days > 0 || years > 0); }
  // "COMPLIANCE, 90 days", "Object Lock on, no default retention", "no Object Lock".
  std::string Describe() const;
  Json ToJson() const;
};

// Reads the bucket's Object Lock state. A bucket without Object Lock is a state (enabled false), not
// an error; kNotFound for a missing bucket, the AWS error (kAccessDenied, ...) otherwise.
[[nodiscard]] Result<ObjectLockState> ReadObjectLock(aws::Client& client, const std::string& bucket);

// ReadObjectLock, then kInvalidArgument saying why the bucket is refused and how to fix it
// (`cordon evidence-bucket create`, or `allow_flag`) unless it is write-once or `allow_unlocked`.
// `flag` names the option that gave the bucket.
[[nodiscard]] Result<ObjectLockState> RequireWriteOnce(aws::Client& client, const BucketRef& ref,
                                                       bool allow_unlocked, std::string_view flag);

inline constexpr std::string_view kAllowUnlockedFlag = "--allow-unlocked-bucket";

}  // namespace cordon::response
