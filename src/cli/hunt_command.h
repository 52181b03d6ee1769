// `cordon hunt`: scan CloudTrail, VPC flow logs, GuardDuty findings and Config items for one instance.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Parses the hunt flags (see `cordon hunt --help` and docs/hunt.md), runs the local engine or prints
// the equivalent queries (--emit), writes results to stdout and progress to stderr. With no source flag
// the sources come from the configuration file (cli/config_file.h). Returns the exit status: 0 complete,
// 6 results written but some input skipped, 1 error, 2 bad usage or a bad configuration file.
CommandBody SetupHunt(CLI::App& app);

}  // namespace cordon::cli
