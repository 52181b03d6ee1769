// EC2 LockSnapshot of one case snapshot (contain/preserve --lock-snapshots), as soon as it exists: EBS
// locks pending snapshots too. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LockSnapshot.html
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"
#include "response/options.h"
#include "response/step.h"

namespace cordon::response {

// Locks `snapshot_id` as `lock` says and returns the lock as the case records it (the evidence row's
// details.lock): {"mode", "state", "duration_days", "cool_off_hours", "cool_off_expires_on",
// "created_on", "expires_on"}. Locking a snapshot already locked the same way extends nothing but
// succeeds, so a rerun after a crash is safe. Errors as EC2 answers them, with the snapshot named.
Result<Json> LockCaseSnapshot(StepContext& ctx, const std::string& snapshot_id,
                              const SnapshotLockOptions& lock);

}  // namespace cordon::response
