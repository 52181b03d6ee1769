#include "response/release.h"

#include <algorithm>
#include <mutex>

#include "base/json_fields.h"
#include "base/thread_pool.h"
#include "response/audit_capture.h"
#include "response/live_state.h"
#include "response/release_undo.h"
#include "response/role_deny.h"
#include "response/run_marker.h"

// Overview of one target's release:
//   1. Collect the contain steps the journal shows done, newest first; those whose release is
//      already journaled done (a resumed release) are not assessed again.
//   2. Read live state once (instance, ENIs) and have every step assess its own drift against it
//      (Step::AssessDrift; the rules in release.h). Only reads: nothing changes before the verdict.
//      This file knows no step by name: a gone instance keeps the steps that say
//      UndoWhenInstanceGone().
//   3. Held by another case, or drift and no --force: refuse, journal a note listing every drifted
//      property, change nothing. Drift and --force: journal what is overridden and what is
//      skipped (the steps took the skipped items out of the undo payloads), go on; the target then
//      reports partial (exit 6) if anything was skipped.
//   4. Run each step's undo (Step::RunUndo: intent/outcome journaling, resumable).
namespace cordon::response {
namespace {

std::string RegionOf(const Json& state, const aws::Client& client) {
  std::string region = Str(state, "region");
  if (!region.empty()) return region;
  std::string az = Str(Obj(Obj(state, "instance"), "Placement"), "AvailabilityZone");
  if (az.size() > 1) return az.substr(0, az.size() - 1);
  return client.region();
}

// Journals a note on the target; a failure is returned, for the caller to decide what it stops.
Status Note(evidence::CaseStore* store, const std::string& target, const Json& payload) {
  auto seq = store->journal().Append(evidence::kind::kNote, target, "release", payload);
  if (!seq) return MakeError(seq.error());
  return Ok();
}

StepReport Refused(const std::string& message) {
  StepReport r;
  r.step = "release";
  r.status = StepStatus::kFailed;
  r.error = Error{ErrorKind::kConflict, message, {}, 0, {}};
  r.detail = "refused";
  return r;
}

StepReport CheckFailed(const Error& error, const AuditScope& scope) {
  StepReport r;
  r.step = "release:check";
  r.status = StepStatus::kFailed;
  r.error = error;
  r.detail = "could not read live state; nothing changed";
  if (IsAccessDeniedError(error)) r.missing_permission = MissingPermission(error, scope.records());
  return r;
}

}  // namespace

Result<ReleaseOutcome> ReleaseCase(aws::Client* client, evidence::CaseStore* store,
                                   const ResponseOptions& options, const std::vector<std::string>& targets,
                                   const ProgressFn& progress) {
  InstallAuditHook(*client);
  auto all = store->pre_state().All();
  if (!all) return MakeError(all.error());
  std::vector<evidence::PreStateRecord> records;
  for (auto& r : *all)
    if (targets.empty() || std::find(targets.begin(), targets.end(), r.target) != targets.end())
      records.push_back(r);
  if (records.empty())
    return MakeError(ErrorKind::kNotFound, "case " + store->id() + " has no recorded pre-state" +
                                               (targets.empty() ? "" : " for the given targets") +
                                               ": nothing to release");

  int64_t run = BeginRun(store, "release");
  // Resume decisions read the journal: a release that cannot mark what was interrupted must not
  // go on (the journal is the durable log; nothing is changed without it).
  if (auto marked = store->journal().MarkInterrupted("the previous run stopped inside this step; resuming");
      !marked) {
    EndRun(store, run, "failed");
    return MakeError(marked.error());
  }
  ReleaseOutcome outcome;
  outcome.reports.resize(records.size());
  std::mutex mu;
  RunDenies role_denies;  // what this release wrote on the roles' deny policies, shared by its targets
  ParallelFor(records.size(), kTargetConcurrency, [&](size_t i) {
    TargetReport& report = outcome.reports[i];
    const Json& state = records[i].state;
    const std::string& id = records[i].target;
    report.target.instance_id = id;
    report.target.region = RegionOf(state, *client);
    report.target.vpc_id = Str(state, "vpc_id");
    auto make_ctx = [&] {
      StepContext ctx;
      ctx.client = client;
      ctx.store = store;
      ctx.target = report.target;
      ctx.options = &options;
      ctx.role_denies = &role_denies;
      return ctx;
    };
    std::vector<UndoItem> undo;
    DriftFindings findings;
    // A check that fails is shown as it happens, with its cause (no credentials, say), like any step.
    auto check_failed = [&](const Error& error, const AuditScope& scope) {
      report.steps.push_back(CheckFailed(error, scope));
      if (!progress) return;
      std::lock_guard<std::mutex> lock(mu);
      progress(report.target, report.steps.back());
    };
    {
      StepContext ctx = make_ctx();
      AuditScope scope(store, id, "release:check");
      auto done = DoneContainSteps(*store, id);
      if (!done) return check_failed(done.error(), scope);
      undo = std::move(*done);
      if (Status s = AssessUndo(ctx, undo, findings); !s) return check_failed(s.error(), scope);
    }
    // Held (another case's now) refuses even with --force; any drift refuses without it.
    if (findings.held() || (!findings.empty() && !options.force)) {
      const bool held = findings.held();
      Json note = {{"text", held ? "release refused: the instance is held by another case (--force cannot "
                                   "override)"
                                 : "release refused: live state drifted (use --force to override)"},
                   {"drift", findings.Lines()}};
      if (held) note["held"] = findings.Lines(DriftAction::kHeld);
      StepReport r = Refused(held ? "held by another case; release refused, nothing changed"
                                  : "live state drifted; release refused, nothing changed");
      // Nothing was changed, so the refusal stands without its note; the failure is still reported.
      if (Status s = Note(store, id, note); !s)
        r.error.message += "; the refusal note was not journaled: " + s.error().message;
      report.steps.push_back(r);
      std::lock_guard<std::mutex> lock(mu);
      // With --force only what force cannot override is the reason for the refusal.
      std::vector<std::string> why = options.force ? findings.Lines(DriftAction::kHeld) : findings.Lines();
      for (const std::string& d : why) outcome.refusals.push_back(id + " " + d);
      for (const std::string& d : findings.Lines(DriftAction::kHeld)) outcome.held.push_back(id + " " + d);
      return;
    }
    const std::vector<std::string> skipped = findings.Lines(DriftAction::kSkip);
    if (!findings.empty()) {
      // What --force overrides and skips must be on record before anything changes: no note, no undo.
      Status s =
          Note(store, id,
               Json{{"text",
                     "release --force over drift: overridden items get the recorded value, skipped ones "
                     "stay"},
                    {"drift", findings.Lines()},
                    {"overridden", findings.Lines(DriftAction::kOverride)},
                    {"skipped", skipped}});
      if (!s) {
        StepReport r;
        r.step = "release";
        r.status = StepStatus::kFailed;
        r.error = s.error();
        r.detail = "could not journal what --force overrides; nothing changed";
        report.steps.push_back(r);
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      for (const std::string& d : skipped) outcome.skipped.push_back(id + " " + d);
    }
    bool stopped = false;
    int position = 0;
    for (UndoItem& u : undo) {
      ++position;
      StepReport r;
      if (stopped) {
        r.step = "release:" + std::string(u.step->name());
        r.status = StepStatus::kNotAttempted;
        r.detail = "not attempted: an earlier release step failed";
      } else {
        StepContext ctx = make_ctx();
        ctx.position = position;
        r = u.step->RunUndo(ctx, u.payload);
        stopped = r.status == StepStatus::kFailed;
      }
      report.steps.push_back(r);
      if (progress) {
        std::lock_guard<std::mutex> lock(mu);
        progress(report.target, r);
      }
    }
    if (!skipped.empty()) {
      StepReport r;
      r.step = "release:drift";
      r.status = StepStatus::kSkipped;
      r.detail = std::to_string(skipped.size()) + " drifted properties left as they are (--force)";
      r.partial = true;
      report.steps.push_back(r);
    }
  });
  // The run's outcome as it was: a target whose check or undo failed (no credentials, say) is a failed
  // run, never "ok" (issue 17).
  const bool failed = std::any_of(outcome.reports.begin(), outcome.reports.end(),
                                  [](const TargetReport& r) { return r.failed(); });
  EndRun(store, run, !outcome.refusals.empty() ? "refused" : (failed ? "failed" : "ok"));
  return outcome;
}

}  // namespace cordon::response
