// `cordon posture`: the account's exposure (world-open groups, IMDSv1, unencrypted volumes, no SSM,
// admin roles) and detective controls (CloudTrail, flow logs, GuardDuty, Config, Security Hub, Macie,
// Inspector), each finding with its evidence and the AWS CLI fix.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

// Prints the posture as text or JSON on stdout. Returns 0 when every check was assessed, 6 when some
// could not be (listed as not assessed, with the reason), 2 bad flags, 3 the --instance not found,
// 5 or 1 when the regions cannot be listed.
CommandBody SetupPosture(CLI::App& app);

}  // namespace cordon::cli
