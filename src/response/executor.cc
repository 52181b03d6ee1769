#include "response/executor.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "base/thread_pool.h"
#include "response/audit_capture.h"
#include "response/role_deny.h"
#include "response/run_marker.h"

namespace cordon::response {
namespace {

bool Succeeded(StepStatus s) { return s == StepStatus::kDone || s == StepStatus::kAlreadyDone; }

std::mutex progress_mu;

// Why nothing more may start, or "" while the journal is healthy.
std::string JournalStop(const evidence::Journal& journal) {
  Status s = journal.sticky_error();
  return s ? "" : "the case journal failed: " + s.error().message;
}

}  // namespace

bool TargetReport::failed() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const StepReport& r) {
                       return r.status == StepStatus::kFailed || r.status == StepStatus::kNotAttempted;
                     }) ||
         !lost_records.empty();
}
bool TargetReport::partial() const {
  return std::any_of(steps.begin(), steps.end(), [](const StepReport& r) { return r.partial; });
}
bool TargetReport::changed() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const StepReport& r) { return r.status == StepStatus::kDone; });
}

Executor::Executor(aws::Client* client, evidence::CaseStore* store, const ResponseOptions* options,
                   ProgressFn progress)
    : client_(client), store_(store), options_(options), progress_(std::move(progress)) {
  if (client_ != nullptr) InstallAuditHook(*client_);
}

std::vector<TargetReport> Executor::Run(std::vector<Plan>& plans, size_t target_concurrency) {
  int64_t run = BeginRun(store_, command_);
  // Safe to drop: a failure leaves the journal unhealthy (sticky), and RunPlan then attempts no step.
  (void)store_->journal().MarkInterrupted("the previous run stopped inside this step; resuming");
  std::vector<TargetReport> reports(plans.size());
  RunDenies role_denies;  // this run's, shared by its targets
  ParallelFor(plans.size(), target_concurrency,
              [&](size_t i) { reports[i] = RunPlan(plans[i], &role_denies); });
  bool failed = std::any_of(reports.begin(), reports.end(), [](const TargetReport& r) { return r.failed(); });
  EndRun(store_, run, failed ? "failed" : "ok");
  return reports;
}

std::vector<std::string> Executor::lost_records() const {
  std::vector<std::string> out;
  for (const evidence::LostRecord& r : store_->journal().lost_records()) out.push_back(r.ToString());
  return out;
}

Status Executor::journal_status() const { return store_->journal().sticky_error(); }

TargetReport Executor::RunPlan(Plan& plan, RunDenies* role_denies) {
  TargetReport report;
  report.target = plan.target;
  const size_t n = plan.steps.size();
  report.steps.resize(n);
  std::vector<bool> finished(n, false);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    index[plan.steps[i].name] = i;
    report.steps[i].step = plan.steps[i].name;
  }
  std::string stop_destructive, stop_all;  // why, when set
  evidence::Journal& journal = store_->journal();

  auto not_attempted = [&](size_t i, const std::string& why) {
    StepReport& r = report.steps[i];
    r.status = StepStatus::kNotAttempted;
    r.detail = "not attempted: " + why;
    // Safe to drop: the step did nothing, and a failure is sticky, so the next round stops every
    // step left (this record is then among the journal's lost records).
    (void)journal.Append(evidence::kind::kStepSkipped, plan.target.instance_id, plan.steps[i].name,
                         Json{{"reason", r.detail}});
    finished[i] = true;
    if (progress_) {
      std::lock_guard<std::mutex> lock(progress_mu);
      progress_(plan.target, r);
    }
  };

  for (;;) {
    // Checked before every round: the journal is shared by every target of the case, so another
    // target's failure stops this one too. It overrides AccessDenied, which is less fundamental.
    // A caller's stop comes after the journal's, whose reason matters more to a rerun.
    if (std::string why = JournalStop(journal); !why.empty()) {
      stop_all = why;
    } else if (stop_ != nullptr && stop_->load()) {
      stop_all = stop_why_;
    }
    std::vector<size_t> ready;
    bool progressed = false;
    for (size_t i = 0; i < n; ++i) {
      if (finished[i]) continue;
      const PlanStep& ps = plan.steps[i];
      std::string blocked;
      bool waiting = false;
      for (const std::string& dep : ps.after) {
        auto it = index.find(dep);
        if (it == index.end()) continue;
        if (!finished[it->second])
          waiting = true;
        else if (!Succeeded(report.steps[it->second].status))
          blocked = dep + " did not complete";
      }
      if (!stop_all.empty())
        blocked = stop_all;
      else if (ps.destructive && !stop_destructive.empty())
        blocked = stop_destructive;
      if (!blocked.empty()) {
        not_attempted(i, blocked);
        progressed = true;
      } else if (!waiting) {
        ready.push_back(i);
      }
    }
    if (ready.empty()) {
      if (progressed) continue;
      break;
    }
    ParallelFor(ready.size(), ready.size(), [&](size_t k) {
      size_t i = ready[k];
      StepContext ctx;
      ctx.client = client_;
      ctx.store = store_;
      ctx.target = plan.target;
      ctx.options = options_;
      ctx.fleet = fleet_;
      ctx.role_denies = role_denies;
      ctx.position = static_cast<int>(i) + 1;
      StepReport r = plan.steps[i].step->Run(ctx);
      r.step = plan.steps[i].name;
      report.steps[i] = r;
      if (progress_) {
        std::lock_guard<std::mutex> lock(progress_mu);
        progress_(plan.target, r);
      }
    });
    for (size_t i : ready) {
      finished[i] = true;
      const StepReport& r = report.steps[i];
      if (r.status != StepStatus::kFailed) continue;
      if (!r.missing_permission.empty())
        stop_all = r.step + " was denied " + r.missing_permission;
      else if (r.error.kind == ErrorKind::kAccessDenied)  // credentials or signature refused
        stop_all = r.step + " was refused (" + r.error.code + ")";
      else if (plan.steps[i].evidence)
        stop_destructive = "evidence step " + r.step + " failed (rule 5)";
    }
  }
  // A dependency cycle would leave steps unfinished; the table has none, but never report them as done.
  for (size_t i = 0; i < n; ++i)
    if (!finished[i]) not_attempted(i, "its dependencies never completed");
  if (Status s = journal.sticky_error(); !s) {
    report.journal_error = s.error().message;
    for (evidence::LostRecord& r : journal.lost_records())
      if (r.target == plan.target.instance_id) report.lost_records.push_back(std::move(r));
  }
  return report;
}

}  // namespace cordon::response
