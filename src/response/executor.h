// Runs plans: the steps of one target in dependency order, independent steps in parallel, several
// targets concurrently. One target's failure never stops another's.
//
// Within a target:
//  - a step starts when every step it runs after is done (or already done);
//  - a failed step's dependents are not attempted;
//  - a failed evidence step stops every destructive step not yet started (DESIGN.md §3 rule 5);
//  - an AccessDenied stops every step not yet started (the message names the missing permission);
// steps not attempted are journaled as step.skipped with the reason, so a rerun picks them up.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "evidence/case_store.h"
#include "response/options.h"
#include "response/plan.h"

namespace cordon::response {

struct TargetReport {
  cloud::ResolvedTarget target;
  std::vector<StepReport> steps;  // in plan order

  bool failed() const;
  bool partial() const;  // a step did not all it could (instance-store volumes, ...)
  bool changed() const;  // some step changed something in this run
};

// Called as each step finishes (from worker threads, one call at a time).
using ProgressFn = std::function<void(const cloud::ResolvedTarget& target, const StepReport& report)>;

class Executor {
 public:
  // `client`, `store` and `options` must outlive the executor. Installs the audit hook on `client`.
  Executor(aws::Client* client, evidence::CaseStore* store, const ResponseOptions* options,
           ProgressFn progress);

  // Runs every plan, at most `target_concurrency` targets at once. Marks the case's interrupted
  // steps first (so the journal shows the interruption) and then resumes them.
  std::vector<TargetReport> Run(std::vector<Plan>& plans, size_t target_concurrency = 8);

  // Runs one plan.
  TargetReport RunPlan(Plan& plan);

 private:
  aws::Client* client_;
  evidence::CaseStore* store_;
  const ResponseOptions* options_;
  ProgressFn progress_;
};

}  // namespace cordon::response
