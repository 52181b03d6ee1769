// `cordon triage TARGET`: a read-only look at one instance: identity, owner, network and exposure,
// memberships, credentials, storage, protections, SSM state and recent activity.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Parses the triage flags (see `cordon triage --help` and docs/triage.md), resolves the target,
// collects the inventory and activity, and prints them as text or JSON on stdout. Returns 0 when
// printed (parts that could not be read are shown in place), 6 printed but the log hunt (run when log
// sources are configured) failed or skipped input, 2 bad input or a bad configuration file, 3 not
// found, 4 ambiguous target (candidates on stderr), 5 access denied, 1 other errors.
CommandBody SetupTriage(CLI::App& app);

}  // namespace cordon::cli
