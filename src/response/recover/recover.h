// `cordon recover --case ID`: did the service the suspect was part of recover (runbook step 5)?
// Read from the suspect's recorded pre-state, never from its current (contained) state:
//   an Auto Scaling member: its group is at desired capacity with InService, Healthy instances, and
//     each of them is InService in every classic ELB and healthy in every target group the suspect
//     was in. Contain detached the suspect without decrementing, so the group launched a replacement.
//   a standalone instance: only with --relaunch, a replacement launched from the last-known-good
//     configuration (recover-relaunch), registered where the suspect was (recover-register).
// recover-verify waits up to --wait seconds for that, then fails with code "ServiceNotWhole", which
// the command maps to its own exit code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "response/plan.h"

namespace cordon::response::recover {

inline constexpr std::string_view kNotWholeCode = "ServiceNotWhole";

struct RecoverOptions {
  bool relaunch = false;
  int wait_seconds = 300;
  int poll_seconds = 10;
};

Plan BuildRecoverPlan(const cloud::ResolvedTarget& suspect, const RecoverOptions& options);

std::vector<std::string> RecoverIamActions();

}  // namespace cordon::response::recover
