#include "response/release.h"

#include <algorithm>
#include <mutex>

#include "base/thread_pool.h"
#include "response/audit_capture.h"
#include "response/live_state.h"
#include "response/run_marker.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

std::string RegionOf(const Json& state, const aws::Client& client) {
  std::string region = Str(state, "region");
  if (!region.empty()) return region;
  std::string az =
      Str(state.value("instance", Json::object()).value("Placement", Json::object()), "AvailabilityZone");
  if (az.size() > 1) return az.substr(0, az.size() - 1);
  return client.region();
}

struct DoneStep {
  std::unique_ptr<Step> step;
  Json payload;
};

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
  (void)store->journal().MarkInterrupted("the previous run stopped inside this step; resuming");
  ReleaseOutcome outcome;
  outcome.reports.resize(records.size());
  std::mutex mu;
  auto contain_steps = ContainSteps();
  ParallelFor(records.size(), 8, [&](size_t i) {
    TargetReport& report = outcome.reports[i];
    const Json& state = records[i].state;
    report.target.instance_id = records[i].target;
    report.target.region = RegionOf(state, *client);
    report.target.vpc_id = Str(state, "vpc_id");
    auto make_ctx = [&] {
      StepContext ctx;
      ctx.client = client;
      ctx.store = store;
      ctx.target = report.target;
      ctx.options = &options;
      return ctx;
    };
    // The done steps, in reverse contain order.
    std::vector<DoneStep> done;
    for (auto it = contain_steps.rbegin(); it != contain_steps.rend(); ++it) {
      std::unique_ptr<Step> step = it->make();
      if (!step->undoable()) continue;
      auto last = store->journal().LastOutcome(report.target.instance_id, it->name);
      if (!last || last->state != evidence::StepState::kDone) continue;
      done.push_back(DoneStep{std::move(step), last->payload});
    }
    // Drift check before anything changes.
    std::vector<std::string> drift;
    if (!options.force) {
      for (DoneStep& d : done) {
        StepContext ctx = make_ctx();
        AuditScope scope(store, report.target.instance_id, "release:check");
        if (auto s = d.step->CheckDrift(ctx, d.payload); !s)
          drift.push_back(report.target.instance_id + " " + std::string(d.step->name()) + ": " +
                          s.error().message);
      }
    }
    if (!drift.empty()) {
      Json lines = drift;
      (void)store->journal().Append(
          evidence::kind::kNote, report.target.instance_id, "release",
          Json{{"text", "release refused: live state drifted (use --force to override)"}, {"drift", lines}});
      StepReport r;
      r.step = "release";
      r.status = StepStatus::kFailed;
      r.error = Error{ErrorKind::kConflict, "live state drifted; release refused", {}, 0, {}};
      r.detail = "refused";
      report.steps.push_back(r);
      std::lock_guard<std::mutex> lock(mu);
      outcome.refusals.insert(outcome.refusals.end(), drift.begin(), drift.end());
      return;
    }
    bool stopped = false;
    int position = 0;
    for (DoneStep& d : done) {
      ++position;
      StepReport r;
      if (stopped) {
        r.step = "release:" + std::string(d.step->name());
        r.status = StepStatus::kNotAttempted;
        r.detail = "not attempted: an earlier release step failed";
      } else {
        StepContext ctx = make_ctx();
        ctx.position = position;
        r = d.step->RunUndo(ctx, d.payload);
        stopped = r.status == StepStatus::kFailed;
      }
      report.steps.push_back(r);
      if (progress) {
        std::lock_guard<std::mutex> lock(mu);
        progress(report.target, r);
      }
    }
  });
  EndRun(store, run, outcome.refusals.empty() ? "ok" : "refused");
  return outcome;
}

}  // namespace cordon::response
