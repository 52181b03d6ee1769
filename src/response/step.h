// A playbook step and the bookkeeping around it. The public, non-virtual Run() does the journaling
// (intent, idempotency probe, outcome with the AWS request ids); a step author writes Observe,
// IsDone and DoApply (and DoUndo/AssessDrift for `release`). Copy steps/noop.cc to start a new step.
//
// Protocol of Run() for (target, step):
//   1. Read the journal: done / interrupted (intent without outcome) / failed / none.
//   2. Observe() live state. The step's "before" is the first recorded one (from the done record,
//      or the interrupted intent), else the live observation: a rerun never loses the original.
//      A step that is done again and again on one case (the lab's, cycled by lab up / lab down)
//      says so with Cycles(); its "before" is always this run's observation.
//   3. Journal already done + IsDone(live) -> "already done", nothing written.
//      Not in the journal but IsDone(live) -> step.done {"before", "already": true}, nothing changed.
//   4. Otherwise step.intent {"before"}, DoApply(), then step.done {"before", "result", "detail",
//      "aws"} or step.failed {"before", "error", "missing_permission", "aws"}.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "cloud/target.h"
#include "evidence/case_store.h"
#include "response/drift.h"
#include "response/options.h"

namespace cordon::response {

class FleetState;
class RunDenies;

// Everything a step may touch. One per (target, step) run; not shared between threads.
struct StepContext {
  aws::Client* client = nullptr;
  evidence::CaseStore* store = nullptr;
  cloud::ResolvedTarget target;
  const ResponseOptions* options = nullptr;
  int position = 0;  // 1-based position in the plan, for the crash test hooks (crash_hook.h)

  evidence::StepState journal_state = evidence::StepState::kNone;
  Json prior_before;               // the "before" recorded by an earlier run, or null
  std::string detail;              // one line of progress detail DoApply may set: "2 ENIs"
  std::vector<std::string> notes;  // journaled as note records after the outcome
  bool partial = false;            // set by a step that did what it could but not all (exit 6)
  // The run's fleet read (fleet_state.h): what contain read once for all its targets before the first
  // step, which some steps take as live state. Null in every other run (release, preserve, watch):
  // their steps read for themselves.
  FleetState* fleet = nullptr;
  // The state the targets of one run share, owned by that run (Executor::Run, ReleaseCase): what it
  // wrote on the roles' deny policies (role_deny.h). Null elsewhere (preserve, tests).
  RunDenies* role_denies = nullptr;
  // What Observe() returned a moment ago: set by Step::Run for its DoApply only, null everywhere else
  // (Observe, IsDone, RunUndo's DoUndo, AssessDrift). See ObservedOr (observation.h).
  const Json* observed = nullptr;

  // Calls in the target's region.
  Result<Json> Call(std::string_view service, std::string_view op, Json input) const;
  Result<Json> CallAll(std::string_view service, std::string_view op, Json input) const;
};

enum class StepStatus { kDone, kAlreadyDone, kFailed, kSkipped, kNotAttempted };
std::string_view StepStatusName(StepStatus status);

// What one Run() or RunUndo() did, for progress and the summary.
struct StepReport {
  std::string step;
  StepStatus status = StepStatus::kNotAttempted;
  std::string detail;
  Error error;                     // when kFailed
  std::string missing_permission;  // when the failure was AccessDenied: "ec2:ModifyInstanceAttribute"
  bool partial = false;
};

class Step {
 public:
  virtual ~Step() = default;
  virtual std::string_view name() const = 0;

  // Runs the step for ctx.target with the protocol above. Never throws; failures are in the report.
  StepReport Run(StepContext& ctx);

  // Undoes what the step's step.done record `done` says it did, journaled the same way under the
  // step name "release:<name>". Checks no drift itself: release assesses every step (AssessDrift)
  // before it undoes any, and passes `done` as that assessment left it.
  StepReport RunUndo(StepContext& ctx, const Json& done);

  // Whether release can undo it (steps that only record or collect cannot).
  virtual bool undoable() const { return false; }

  // Release's drift check for this step (release.h; docs/response.md, "Drift"). `*undo` is the
  // step's journaled step.done payload ({"before", "result", ...}), which release then passes to
  // RunUndo: take out of undo["before"] what is already restored (undoing it again would be wrong
  // or fail) and what cannot be restored, and add one finding per drifted property to `*findings`
  // (Skip: cannot be restored; Override: someone else's change that --force sets back; Hold: the
  // target is another case's now, refused even with --force). Only reads AWS. A non-OK status
  // means live state could not be read; nothing is then changed on the target.
  // When live.gone, it is called only if UndoWhenInstanceGone().
  virtual Status AssessDrift(StepContext& ctx, const LiveState& live, Json* undo, DriftFindings* findings) {
    return Ok();
  }

  // Whether release still undoes this step on a terminated or vanished instance, where nothing on
  // the instance can be restored (e.g. a policy change outside the instance that names it).
  virtual bool UndoWhenInstanceGone() const { return false; }

  // Whether the step is done once per cycle of something made and destroyed again on the same case
  // (the lab), so an earlier run's "before" describes a lab that no longer exists.
  virtual bool Cycles() const { return false; }

 protected:
  // Reads the live state this step changes, as JSON: the "before" journaled with the intent.
  virtual Result<Json> Observe(StepContext& ctx) = 0;
  // Whether live state already is what DoApply would make it (the idempotency probe).
  virtual bool IsDone(StepContext& ctx, const Json& observed) = 0;
  // Makes the change; returns the result payload. Must be safe to repeat after a crash inside it.
  virtual Result<Json> DoApply(StepContext& ctx, const Json& before) = 0;
  // Restores `before`. `result` is what DoApply returned.
  virtual Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) {
    return MakeError(ErrorKind::kInternal, "step cannot be undone");
  }
};

// The IAM action an AccessDenied error is about: the one the message names ("... not authorized to
// perform: iam:PutRolePolicy ..."), else the failed call's service:operation. Empty when the error is
// about the credentials or the signature (AuthFailure, ExpiredToken, ...), not about a policy.
std::string MissingPermission(const Error& error, const std::vector<aws::AuditRecord>& calls);

}  // namespace cordon::response
