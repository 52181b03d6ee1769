// The snapshot flags of `contain` and `preserve`: --lock-snapshots (and its mode and cooling-off), checked
// into SnapshotLockOptions, and --snapshot-timeout.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>

#include "base/error.h"
#include "response/options.h"

namespace cordon::cli {

struct LockFlags {
  std::string duration, mode = "compliance", cool_off = "24h";
  std::string snapshot_timeout = "30m";  // response/snapshot_wait.h says why 30 minutes
};

void AddLockFlags(CLI::App& app, LockFlags* flags);

// kInvalidArgument naming the flag: a duration under a day or over 100 years, a cooling-off period
// outside 1 to 72 hours, --lock-cool-off with governance. No lock when --lock-snapshots is absent.
Result<response::SnapshotLockOptions> ParseLockFlags(const LockFlags& f);

// --snapshot-timeout: how long the snapshot step waits for its set to complete; kInvalidArgument
// naming the flag for anything ParseDuration refuses.
Result<std::chrono::seconds> ParseSnapshotTimeout(const LockFlags& f);

}  // namespace cordon::cli
