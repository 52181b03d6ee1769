// The step table: every playbook step with its summary, the IAM actions it needs, and whether it is
// destructive (changes the instance or its surroundings) or collects evidence. `cordon iam-policy`
// and the plan are built from this table; the order of kContainSteps is DESIGN.md §3 rule 2.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "response/step.h"

namespace cordon::response {

struct StepInfo {
  std::string_view name;
  std::string_view summary;
  std::span<const std::string_view> iam_actions;       // what contain/preserve calls
  std::span<const std::string_view> undo_iam_actions;  // what release calls to undo it (empty: nothing)
  bool destructive;
  bool evidence;
  // Steps this one runs after (when they are in the plan). Steps with no path between them run
  // in parallel.
  std::span<const std::string_view> after;
  std::unique_ptr<Step> (*make)();
};

// The contain playbook, in rule-2 order.
std::span<const StepInfo> ContainSteps();
// The step `preserve` runs (one snapshot set per round); not part of contain.
const StepInfo& PreserveSnapshotStep();
const StepInfo* FindStep(std::string_view name);
// What ClaimInstance (response/instance_claim.h) calls; contain claims every target before its plan.
std::span<const std::string_view> InstanceClaimIam();

// Factories, one per file in steps/.
std::unique_ptr<Step> MakeRecordPreStateStep();
std::unique_ptr<Step> MakeTagStep();
std::unique_ptr<Step> MakeProtectStep();
std::unique_ptr<Step> MakeAsgStep();
std::unique_ptr<Step> MakeDeregisterLbStep();
std::unique_ptr<Step> MakeIsolateNetworkStep();
std::unique_ptr<Step> MakeDisassociateEipStep();
std::unique_ptr<Step> MakeCredentialsStep();
std::unique_ptr<Step> MakeSnapshotStep();
std::unique_ptr<Step> MakeConsoleOutputStep();
std::unique_ptr<Step> MakeCaptureMemoryStep();                     // opt-in: contain --capture-memory
std::unique_ptr<Step> MakeIsolateSubnetStep();                     // opt-in: contain --nacl
std::unique_ptr<Step> MakeSeriesSnapshotStep(std::string series);  // preserve-snapshot-<series>
std::unique_ptr<Step> MakeNoopStep(std::string_view name);         // the template step; for tests

}  // namespace cordon::response
