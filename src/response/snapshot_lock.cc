#include "response/snapshot_lock.h"

#include "response/live_state.h"

namespace cordon::response {

Result<Json> LockCaseSnapshot(StepContext& ctx, const std::string& snapshot_id,
                              const SnapshotLockOptions& lock) {
  Json input = {{"SnapshotId", snapshot_id},
                {"LockMode", lock.compliance ? "compliance" : "governance"},
                {"LockDuration", lock.days}};
  if (lock.compliance) input["CoolOffPeriod"] = lock.cool_off_hours;
  auto out = ctx.Call("ec2", "LockSnapshot", input);
  if (!out) {
    Error e = out.error();
    e.message = "cannot lock " + snapshot_id + ": " + e.message;
    return MakeError(std::move(e));
  }
  Json recorded = {{"mode", lock.compliance ? "compliance" : "governance"},
                   {"state", Str(*out, "LockState")},
                   {"duration_days", out->value("LockDuration", lock.days)},
                   {"created_on", Str(*out, "LockCreatedOn")},
                   {"expires_on", Str(*out, "LockExpiresOn")}};
  if (lock.compliance) {
    recorded["cool_off_hours"] = out->value("CoolOffPeriod", lock.cool_off_hours);
    recorded["cool_off_expires_on"] = Str(*out, "CoolOffPeriodExpiresOn");
  }
  return recorded;
}

}  // namespace cordon::response
