// `cordon cleanup --case ID --terminate-suspect`: the end of a true positive (runbook step 5).
// Terminates the suspect only once its evidence is complete, then deletes the groups cordon made
// for it. A plan of steps on the suspect (step.h), so it is journaled, resumable and `--plan`-able:
//   cleanup-check-evidence  every EBS volume the suspect had (its recorded pre-state) has a snapshot
//                           of the case that is `completed`; a memory capture that was started
//                           finished with its hashes verified; the case's lab is down. Refuses
//                           otherwise, naming what is missing; changes nothing.
//   cleanup-terminate       termination protection off, every volume kept (DeleteOnTermination
//                           false: cordon never deletes evidence), TerminateInstances, wait.
//   cleanup-groups          the case's allow groups, then the VPC's shared cordon groups (untrack,
//                           isolation, ssm-reach) once no network interface uses them.
// The instance role's credential revocation stays: credentials the instance was given stay valid
// until they expire, after the instance is gone.
#pragma once

#include <string>
#include <vector>

#include "response/plan.h"

namespace cordon::response::cleanup {

struct CleanupOptions {
  // Terminate although a memory capture that was started did not finish (the host cannot be
  // captured: no SSM agent, no memory tool). Journaled in the check's record as waived.
  bool accept_missing_memory = false;
};

Plan BuildCleanupPlan(const cloud::ResolvedTarget& suspect, const CleanupOptions& options);

// What the three steps call, for `cordon iam-policy --for cleanup`.
std::vector<std::string> CleanupIamActions();

}  // namespace cordon::response::cleanup
