#include "response/preserve.h"

#include <string>
#include <vector>

#include "base/hash.h"
#include "response/audit_capture.h"
#include "response/pre_state_collector.h"
#include "response/run_marker.h"
#include "response/steps/steps.h"

namespace cordon::response {

int FirstPreserveRound(evidence::CaseStore& store, const std::string& instance) {
  int first = 1;
  for (;; ++first) {
    auto last = store.journal().LastOutcome(instance, "preserve-snapshot-" + std::to_string(first));
    if (!last || last->state != evidence::StepState::kDone) break;
  }
  return first;
}

TargetReport Preserve(aws::Client* client, evidence::CaseStore* store, const ResponseOptions& options,
                      const cloud::ResolvedTarget& target, int count, std::chrono::seconds every,
                      const ProgressFn& progress, const std::function<void(std::chrono::seconds)>& sleep) {
  InstallAuditHook(*client);
  int64_t run = BeginRun(store, "preserve");
  evidence::Journal& journal = store->journal();
  // Safe to drop: a failure leaves the journal unhealthy (sticky), and no round starts below.
  (void)journal.MarkInterrupted("the previous run stopped inside this step; resuming");
  TargetReport report;
  report.target = target;
  auto emit = [&](const StepReport& r) {
    report.steps.push_back(r);
    if (progress) progress(target, r);
  };
  auto context = [&](const ResponseOptions* o) {
    StepContext ctx;
    ctx.client = client;
    ctx.store = store;
    ctx.target = target;
    ctx.options = o;
    return ctx;
  };
  // Ends the run; the report carries the journal's failure, if any, for the summary.
  auto finish = [&](const std::string& result) {
    EndRun(store, run, result);
    if (Status s = journal.sticky_error(); !s) {
      report.journal_error = s.error().message;
      for (evidence::LostRecord& r : journal.lost_records())
        if (r.target == target.instance_id) report.lost_records.push_back(std::move(r));
    }
    return report;
  };
  // What starts must be able to record what it does: once the journal failed, no further step (and
  // no further snapshot set) is taken; they are reported not attempted, naming the failure.
  auto journal_failed = [&](const std::vector<std::string>& steps) {
    Status s = journal.sticky_error();
    if (s) return false;
    for (const std::string& step : steps) {
      StepReport skipped;
      skipped.step = step;
      skipped.status = StepStatus::kNotAttempted;
      skipped.detail = "not attempted: the case journal failed: " + s.error().message;
      emit(skipped);
    }
    return true;
  };
  if (journal_failed({"record-pre-state"})) return finish("failed");
  {
    StepContext ctx = context(&options);
    ctx.position = 1;
    emit(MakeRecordPreStateStep()->Run(ctx));
    if (report.steps.back().status == StepStatus::kFailed) return finish("failed");
  }
  const int first = FirstPreserveRound(*store, target.instance_id);
  for (int round = first; round < first + count; ++round) {
    std::vector<std::string> left;
    for (int r = round; r < first + count; ++r) left.push_back("preserve-snapshot-" + std::to_string(r));
    if (journal_failed(left)) break;
    if (round > first) sleep(every);
    ResponseOptions o = options;
    o.series = std::to_string(round);
    StepContext ctx = context(&o);
    ctx.position = round - first + 2;
    StepReport r = MakeSeriesSnapshotStep(o.series)->Run(ctx);
    emit(r);
    if (r.status == StepStatus::kFailed) break;
    // The metadata beside each set: the instance's state when the set was taken.
    AuditScope scope(store, target.instance_id, "preserve-metadata-" + o.series);
    StepContext mctx = context(&o);
    auto state = CollectPreState(mctx);
    StepReport m;
    m.step = "preserve-metadata-" + o.series;
    // Journaled as a step like the others, so the case (and its report) shows where it ended. Safe to
    // drop: a failed append leaves the journal unhealthy (sticky), and no further round starts.
    (void)journal.Append(evidence::kind::kStepIntent, target.instance_id, m.step,
                         Json{{"set", "preserve-" + o.series}});
    if (!state) {
      m.status = StepStatus::kFailed;
      m.error = state.error();
    } else {
      std::string bytes = state->dump(2);
      evidence::EvidenceItem about;
      about.target = target.instance_id;
      about.kind = evidence::EvidenceKind::kMetadata;
      about.source = "cordon preserve: DescribeInstances and related calls";
      about.collector = options.responder;
      about.step = m.step;
      about.details = Json{{"set", "preserve-" + o.series}};
      auto item = store->evidence().StoreFile(
          "metadata-" + target.instance_id + "-" + o.series + "-" + Sha256Hex(bytes).substr(0, 12) + ".json",
          bytes, about);
      if (!item) {
        m.status = StepStatus::kFailed;
        m.error = item.error();
      } else {
        m.status = StepStatus::kDone;
        m.detail = "done (" + item->location + ")";
      }
    }
    if (m.status == StepStatus::kDone) {
      (void)journal.Append(evidence::kind::kStepDone, target.instance_id, m.step, Json{{"detail", m.detail}});
    } else {
      Json error = {{"message", m.error.message}};
      if (!m.error.code.empty()) error["code"] = m.error.code;
      (void)journal.Append(evidence::kind::kStepFailed, target.instance_id, m.step, Json{{"error", error}});
    }
    emit(m);
    if (m.status == StepStatus::kFailed) break;
  }
  return finish(report.failed() ? "failed" : "ok");
}

}  // namespace cordon::response
