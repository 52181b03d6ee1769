// The --lock-snapshots flags of `contain` and `preserve`, and their check into SnapshotLockOptions.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "base/error.h"
#include "response/options.h"

namespace cordon::cli {

struct LockFlags {
  std::string duration, mode = "compliance", cool_off = "24h";
};

void AddLockFlags(CLI::App& app, LockFlags* flags);

// kInvalidArgument naming the flag: a duration under a day or over 100 years, a cooling-off period
// outside 1 to 72 hours, --lock-cool-off with governance. No lock when --lock-snapshots is absent.
Result<response::SnapshotLockOptions> ParseLockFlags(const LockFlags& f);

}  // namespace cordon::cli
