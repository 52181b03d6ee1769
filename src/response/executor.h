// Runs plans: the steps of one target in dependency order, independent steps in parallel, several
// targets concurrently. One target's failure never stops another's.
//
// Within a target:
//  - a step starts when every step it runs after is done (or already done);
//  - a failed step's dependents are not attempted;
//  - a failed evidence step stops every destructive step not yet started (DESIGN.md §3 rule 5);
//  - an AccessDenied stops every step not yet started (the message names the missing permission);
//  - a failed journal append stops every step not yet started, of every target ("the case journal
//    failed: <error>"): a step's change must never go unrecorded. The failure is sticky
//    (evidence::Journal), so a step already running when it happened cannot write its intent either,
//    and Step::Run never calls DoApply without a durable intent;
// steps not attempted are journaled as step.skipped with the reason, so a rerun picks them up (once
// the journal failed, those records are lost too and counted among the lost records).
#pragma once

#include <atomic>
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
  // Set when the case journal failed during or before this target's plan: its error, and the records
  // about this target it could not write, as of the plan's end. Case-level ones (run.*, target "")
  // are only in Executor::lost_records() / Journal::lost_records().
  std::string journal_error;
  std::vector<evidence::LostRecord> lost_records;

  bool failed() const;   // a step failed or was not attempted, or a record about the target was lost
  bool partial() const;  // a step did not all it could (instance-store volumes, ...)
  bool changed() const;  // some step changed something in this run
};

// Called as each step finishes (from worker threads, one call at a time).
using ProgressFn = std::function<void(const cloud::ResolvedTarget& target, const StepReport& report)>;

// How many targets a response works on at once. Each target runs its independent steps side by side
// too, so eight targets already fill most of the process's helper threads (base/thread_pool.h); more
// would only queue on the budget and on EC2's per-region request rate.
inline constexpr size_t kTargetConcurrency = 8;

class Executor {
 public:
  // `client`, `store` and `options` must outlive the executor. Installs the audit hook on `client`.
  Executor(aws::Client* client, evidence::CaseStore* store, const ResponseOptions* options,
           ProgressFn progress);

  // The command the run records name (run.start {"command"}); "contain" unless set.
  void set_command(std::string command) { command_ = std::move(command); }

  // Once *stop is true, no step starts any more: each one not yet started is journaled step.skipped
  // with "not attempted: <why>" (a rerun picks it up), and steps already running finish. For a
  // caller that is asked to stop (`cordon watch` on SIGTERM). `stop` must outlive the executor.
  void set_stop(const std::atomic<bool>* stop, std::string why) {
    stop_ = stop;
    stop_why_ = std::move(why);
  }

  // The fleet read every step of the run sees as StepContext::fleet (contain); null by default.
  // `fleet` must outlive the run.
  void set_fleet(FleetState* fleet) { fleet_ = fleet; }

  // Runs every plan, at most `target_concurrency` targets at once. Marks the case's interrupted
  // steps first (so the journal shows the interruption) and then resumes them. The state the targets
  // of the run share (StepContext::role_denies) lives as long as this call: each run starts afresh.
  std::vector<TargetReport> Run(std::vector<Plan>& plans, size_t target_concurrency = kTargetConcurrency);

  // Every journal record this process could not write to the case, as LostRecord::ToString()
  // ("step.done isolate-network i-0abc", "run.end"), in order; empty while the journal is healthy.
  // Complete after Run() returns (run.end included), for the summary's "journal records lost: ...".
  std::vector<std::string> lost_records() const;
  // The journal's first failure (Ok() while healthy).
  Status journal_status() const;

 private:
  aws::Client* client_;
  evidence::CaseStore* store_;
  const ResponseOptions* options_;
  ProgressFn progress_;
  std::string command_ = "contain";
  const std::atomic<bool>* stop_ = nullptr;
  std::string stop_why_;
  FleetState* fleet_ = nullptr;

  // Runs one plan of the run that owns `role_denies`.
  TargetReport RunPlan(Plan& plan, RunDenies* role_denies);
};

}  // namespace cordon::response
