#include "automation/event_handler.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "automation/case_id.h"
#include "automation/handover.h"
#include "base/strings.h"
#include "evidence/locked_case.h"
#include "response/bucket/case_export.h"
#include "response/executor.h"
#include "response/instance_claim.h"
#include "response/live_state.h"
#include "response/memory/capture_order.h"
#include "response/run_identity.h"

namespace cordon::automation {
namespace {

HandleResult Finish(Outcome outcome, std::string case_id, std::string detail) {
  return HandleResult{outcome, std::move(case_id), std::move(detail)};
}

// What the case journals about the event that opened or continued it: ids and kinds, not the body.
Json EventRecord(const Event& event, const std::string& message_id) {
  Json j = {{"kind", EventKindName(event.kind)},
            {"event_id", event.event_id},
            {"message_id", message_id},
            {"time", event.time},
            {"region", event.region},
            {"account", event.account}};
  if (event.kind == EventKind::kGuardDutyFinding || event.kind == EventKind::kSecurityHubFinding) {
    j["finding_id"] = event.finding_id;
    j["finding_type"] = event.finding_type;
    j["severity"] = event.severity;
  }
  if (event.kind == EventKind::kTagChange) j["tags"] = event.tags;
  return j;
}

std::string Describe(const Event& event) {
  if (event.kind == EventKind::kGuardDutyFinding)
    return "GuardDuty finding " + event.finding_id + " (" + event.finding_type + ")";
  if (event.kind == EventKind::kSecurityHubFinding)
    return "Security Hub finding " + event.finding_id + " (" + event.finding_type + ") on " +
           event.instance_id;
  return "tag change " + event.time + " on " + event.instance_id;
}

bool IsExempt(const Json& tags, const WatchOptions& options) {
  return EqualsIgnoreCase(response::TagValue(tags, options.policy.exempt_tag), "true");
}

// The first step that did not complete, and why, for the log line.
std::string FirstFailure(const response::TargetReport& report) {
  for (const response::StepReport& r : report.steps) {
    if (r.status == response::StepStatus::kFailed) return r.step + " failed: " + r.error.ToString();
    if (r.status == response::StepStatus::kNotAttempted) return r.step + " " + r.detail;
  }
  return report.journal_error.empty() ? "a journal record was lost"
                                      : "the case journal failed: " + report.journal_error;
}

Json StepLine(const std::string& message_id, const std::string& case_id, const cloud::ResolvedTarget& target,
              const response::StepReport& r) {
  Json j = {{"log", "step"},   {"message_id", message_id},
            {"case", case_id}, {"instance_id", target.instance_id},
            {"step", r.step},  {"status", response::StepStatusName(r.status)}};
  if (r.status == response::StepStatus::kFailed) j["error"] = r.error.ToString();
  return j;
}

// One plan to run on an event's case.
struct CaseRun {
  response::Plan plan;
  std::string case_id;
  bool contain = false;  // claim the instance first; the case becomes "contained" (else "triaged")
  std::string why;       // the decision, for the journal note
  response::ResponseOptions response;
  Json tags;  // the instance's tags before anything changed (for the hand-over's owner)
};

// Publishes the hand-over of a converged case and journals it. An error when it could not be
// published: the message then stays, and its redelivery finds the case done and publishes again.
Status HandOverCase(aws::Client& client, evidence::CaseStore& store, const CaseRun& run, const Event& event,
                    const response::TargetReport& report, const WatchOptions& options) {
  if (options.notify_topic.empty()) return Ok();
  HandOverContext c;
  c.topic_arn = options.notify_topic;
  c.command = "watch";
  c.result = run.contain ? "contained" : "triaged";
  c.reason = Describe(event) + "; " + run.why;
  if (event.kind != EventKind::kTagChange) {
    std::ostringstream severity;
    severity << event.severity;
    c.severity = severity.str();
  }
  c.owner_tags = options.owner_tags;
  c.criticality_tags = options.criticality_tags;
  return HandOverRun(client, store, c, report, run.tags);
}

// Runs the plan through the executor, as contain does, and says what became of the case.
HandleResult Execute(aws::Client& client, evidence::CaseStore& store, CaseRun& run, const Event& event,
                     const std::string& message_id, const WatchOptions& options,
                     const std::atomic<bool>* stop, const LogFn& log) {
  response::Executor executor(&client, &store, &run.response,
                              [&](const cloud::ResolvedTarget& t, const response::StepReport& r) {
                                if (log) log(StepLine(message_id, run.case_id, t, r));
                              });
  executor.set_command("watch");
  executor.set_stop(stop, "the watcher is stopping (SIGTERM or SIGINT); the message comes back");
  std::vector<response::Plan> plans;
  plans.push_back(std::move(run.plan));
  std::vector<response::TargetReport> reports = executor.Run(plans, 1);
  const response::TargetReport& report = reports.front();
  if (report.failed() || !store.journal().healthy()) {
    bool stopped = stop != nullptr && stop->load();
    return Finish(stopped ? Outcome::kStopped : Outcome::kFailed, run.case_id, FirstFailure(report));
  }
  if (auto s = store.SetStatus(run.contain ? "contained" : "triaged"); !s)
    return Finish(Outcome::kFailed, run.case_id, s.error().ToString());
  if (auto s = HandOverCase(client, store, run, event, report, options); !s)
    return Finish(Outcome::kFailed, run.case_id, s.error().ToString());
  return Finish(run.contain ? Outcome::kContained : Outcome::kTriaged, run.case_id,
                report.changed() ? "" : "already done; nothing changed");
}

// The case to the evidence bucket, when the watcher has one and this run added records: exported and
// anchored as contain's runs are (case_export.h), logged. A done case whose export failed is a
// failure, so its message comes back and the redelivery (which journals again) exports it.
HandleResult ExportRun(aws::Client& client, evidence::CaseStore& store, int64_t head_at_open,
                       HandleResult result, const std::string& message_id, const WatchOptions& options,
                       const LogFn& log) {
  if (!options.evidence_bucket) return result;
  auto head = store.journal().Head();
  if (head && head->seq == head_at_open) return result;
  const response::BucketRef& ref = *options.evidence_bucket;
  auto exported = response::ExportCase(client, store, ref, options.responder);
  if (!exported) {
    const std::string why = "exporting the case to " + ref.Uri() + ": " + exported.error().ToString();
    if (log)
      log(Json{{"log", "export"}, {"message_id", message_id}, {"case", result.case_id}, {"error", why}});
    if (result.done()) return Finish(Outcome::kFailed, result.case_id, why + "; the message comes back");
    return result;
  }
  const response::Anchor& a = exported->anchor;
  if (log)
    log(Json{{"log", "export"},
             {"message_id", message_id},
             {"case", result.case_id},
             {"uri", ref.Uri()},
             {"objects", exported->objects.size()},
             {"anchor", {{"seq", a.head.seq}, {"hash", a.head.hash}, {"uri", a.Uri(ref)}}}});
  return result;
}

// RunCase's part under the lock, before the export.
HandleResult RunOpenCase(aws::Client& client, evidence::CaseStore& store, CaseRun run, const Event& event,
                         const std::string& message_id, const WatchOptions& options,
                         const std::atomic<bool>* stop, const LogFn& log) {
  const std::string instance = run.plan.target.instance_id;
  if (options.evidence_bucket)
    if (auto s = response::RecordCaseBucket(store, *options.evidence_bucket, options.bucket_lock); !s)
      return Finish(Outcome::kFailed, run.case_id, "the case journal failed: " + s.error().ToString());
  if (auto s = response::RecordRunIdentity(store, &client, {"watch", "", options.responder}); !s)
    return Finish(Outcome::kFailed, run.case_id, "the case journal failed: " + s.error().ToString());
  std::string text = "watch: " + Describe(event) + ", message " + message_id + "; " + run.why;
  if (auto s = store.journal().Append(evidence::kind::kNote, instance, "watch",
                                      Json{{"text", text}, {"event", EventRecord(event, message_id)}});
      !s)
    return Finish(Outcome::kFailed, run.case_id, "the case journal failed: " + s.error().ToString());
  if (run.contain) {
    auto claimed = response::ClaimInstance(client, run.plan.target, run.case_id, "");
    if (!claimed) return Finish(Outcome::kFailed, run.case_id, claimed.error().ToString());
  }
  run.response.case_id = run.case_id;
  run.response.responder = options.responder;
  return Execute(client, store, run, event, message_id, options, stop, log);
}

// Opens the case under its lock, journals the event, claims the instance when containing, runs.
HandleResult RunCase(aws::Client& client, CaseRun run, const Event& event, const std::string& message_id,
                     const WatchOptions& options, const std::atomic<bool>* stop, const LogFn& log) {
  evidence::LockHolder me;
  me.command = "watch";
  me.responder = options.responder;
  const evidence::CaseInfo info{options.responder, "watch: " + Describe(event)};
  auto opened = evidence::OpenLockedCase(options.cases_root / run.case_id, me, options.wait_lock, &info);
  if (!opened) return Finish(Outcome::kFailed, run.case_id, opened.error().ToString());
  evidence::CaseStore& store = *opened->store;
  auto head_at_open = store.journal().Head();
  if (!head_at_open)
    return Finish(Outcome::kFailed, run.case_id,
                  "the case journal failed: " + head_at_open.error().ToString());
  HandleResult result = RunOpenCase(client, store, std::move(run), event, message_id, options, stop, log);
  return ExportRun(client, store, head_at_open->seq, std::move(result), message_id, options, log);
}

// Contained under another case already (another finding for the same instance): that case holds
// the record; this event has nothing left to do. Only claimed, not yet contained: try again later.
std::optional<HandleResult> HeldElsewhere(const Json& tags, const cloud::ResolvedTarget& target,
                                          const std::string& case_id) {
  response::ClaimState claim = response::ClaimFromTags(tags);
  if (claim.holder_case.empty() || claim.holder_case == case_id) return std::nullopt;
  if (claim.contained)
    return Finish(Outcome::kHeldElsewhere, claim.holder_case,
                  "instance " + target.instance_id + " is contained under case " + claim.holder_case);
  return Finish(Outcome::kFailed, case_id,
                "instance " + target.instance_id + " is claimed by case " + claim.holder_case +
                    "; the message comes back");
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kContained:
      return "contained";
    case Outcome::kTriaged:
      return "triaged";
    case Outcome::kIgnored:
      return "ignored";
    case Outcome::kHeldElsewhere:
      return "held-by-another-case";
    case Outcome::kUnknownInstance:
      return "unknown-instance";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kStopped:
      return "stopped";
  }
  return "failed";
}

HandleResult HandleEvent(aws::Client& client, const Event& event, const std::string& message_id,
                         const WatchOptions& options, const std::atomic<bool>* stop, const LogFn& log) {
  const Decision decision = Decide(options.policy, event);
  if (decision.action == Action::kIgnore) return Finish(Outcome::kIgnored, "", decision.why);
  const std::string case_id = CaseIdFor(event, options.policy.case_prefix);
  cloud::TargetQuery query;
  query.text = event.instance_id;
  query.regions = {event.region.empty() ? client.region() : event.region};
  auto target = cloud::ResolveTarget(client, query);
  if (!target) {
    Outcome o = target.error().kind == ErrorKind::kNotFound ? Outcome::kUnknownInstance : Outcome::kFailed;
    return Finish(o, case_id, target.error().ToString());
  }
  if (target->terminated())
    return Finish(Outcome::kFailed, case_id, "instance " + target->instance_id + " is " + target->state);
  auto tags = response::ReadInstanceTags(client, *target);
  if (!tags) return Finish(Outcome::kFailed, case_id, tags.error().ToString());
  const std::string rule = "rule " + decision.rule + ": " + std::string(ActionName(decision.action));
  CaseRun run;
  run.case_id = case_id;
  run.response = options.response;
  run.tags = *tags;
  if (IsExempt(*tags, options) || decision.action == Action::kTriage) {
    response::StepSelection only_record;
    only_record.only = {"record-pre-state"};
    run.plan = response::BuildContainPlan(*target, only_record);
    run.why = IsExempt(*tags, options)
                  ? "the instance is exempt (" + options.policy.exempt_tag + "=true): triaged, not contained"
                  : rule + ": triaged, not contained";
    return RunCase(client, std::move(run), event, message_id, options, stop, log);
  }
  if (auto held = HeldElsewhere(*tags, *target, case_id)) return *held;
  const bool capture = decision.action == Action::kContainCaptureMemory;
  if (!capture) run.response.memory = response::MemoryCaptureOptions{};
  run.plan = response::BuildContainPlan(*target, capture ? options.capture_selection : options.selection);
  response::ArrangeMemoryCapture(run.response.memory, &run.plan);
  run.contain = true;
  run.why = rule;
  return RunCase(client, std::move(run), event, message_id, options, stop, log);
}

}  // namespace cordon::automation
