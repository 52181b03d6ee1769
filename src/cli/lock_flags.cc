#include "cli/lock_flags.h"

#include "base/duration.h"

namespace cordon::cli {

void AddLockFlags(CLI::App& app, LockFlags* flags) {
  app.add_option(
      "--lock-snapshots", flags->duration,
      "lock each snapshot against deletion (EC2 LockSnapshot) for this long, in whole days (30d, 365d)");
  app.add_option("--lock-mode", flags->mode,
                 "compliance (default: nobody can unlock once the cooling-off period ends) or governance")
      ->check(CLI::IsMember({"compliance", "governance"}));
  app.add_option("--lock-cool-off", flags->cool_off,
                 "compliance: the time in which the lock can still be undone, 1h to 72h (default 24h)");
  app.add_option("--snapshot-timeout", flags->snapshot_timeout,
                 "how long to wait for the snapshots to be completed (default 30m); they keep completing "
                 "after it, and a rerun waits for them");
}

Result<std::chrono::seconds> ParseSnapshotTimeout(const LockFlags& f) {
  return ParseDuration(f.snapshot_timeout, "--snapshot-timeout");
}

Result<response::SnapshotLockOptions> ParseLockFlags(const LockFlags& f) {
  response::SnapshotLockOptions lock;
  if (f.duration.empty()) return lock;
  auto duration = ParseDuration(f.duration, "--lock-snapshots");
  if (!duration) return MakeError(duration.error());
  constexpr int64_t kDay = int64_t{24} * 3600;
  if (duration->count() < kDay || duration->count() % kDay != 0 || duration->count() / kDay > 36500)
    return MakeError(
        ErrorKind::kInvalidArgument,
        "--lock-snapshots takes whole days from 1d to 36500d (EBS locks by the day), not " + f.duration);
  lock.days = static_cast<int>(duration->count() / kDay);
  lock.compliance = f.mode == "compliance";
  auto cool_off = ParseDuration(f.cool_off, "--lock-cool-off");
  if (!cool_off) return MakeError(cool_off.error());
  if (cool_off->count() % 3600 != 0 || cool_off->count() < 3600 || cool_off->count() > int64_t{72} * 3600)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--lock-cool-off takes whole hours from 1h to 72h, not " + f.cool_off);
  lock.cool_off_hours = static_cast<int>(cool_off->count() / 3600);
  return lock;
}

}  // namespace cordon::cli
