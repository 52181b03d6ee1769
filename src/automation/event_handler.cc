#include "automation/event_handler.h"

#include <algorithm>

#include "automation/case_id.h"
#include "base/strings.h"
#include "evidence/locked_case.h"
#include "response/capture_order.h"
#include "response/executor.h"
#include "response/instance_claim.h"
#include "response/live_state.h"

namespace cordon::automation {
namespace {

HandleResult Finish(Outcome outcome, std::string case_id, std::string detail) {
  return HandleResult{outcome, std::move(case_id), std::move(detail)};
}

// Why a well-formed event needs nothing done, or "" when it does.
std::string WhyIgnored(const Event& event, const WatchOptions& options) {
  if (event.kind == EventKind::kOther) return event.ignored;
  if (event.kind != EventKind::kTagChange) return "";
  auto it = event.tags.find(options.trigger_key);
  bool changed = std::find(event.changed_tag_keys.begin(), event.changed_tag_keys.end(), options.trigger_key) !=
                 event.changed_tag_keys.end();
  // cordon's own tag step changes incident-response to quarantine:<CASE>, which must not trigger.
  if (it == event.tags.end() || it->second != options.trigger_value || !changed)
    return "the tag change does not set " + options.trigger_key + "=" + options.trigger_value;
  return "";
}

// What the case journals about the event that opened or continued it: ids and kinds, not the body.
Json EventRecord(const Event& event, const std::string& message_id) {
  Json j = {{"kind", EventKindName(event.kind)}, {"event_id", event.event_id}, {"message_id", message_id},
            {"time", event.time},                {"region", event.region},   {"account", event.account}};
  if (event.kind == EventKind::kGuardDutyFinding) {
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
  return "tag change " + event.time + " on " + event.instance_id;
}

bool IsExempt(const Json& tags, const WatchOptions& options) {
  return EqualsIgnoreCase(response::TagValue(tags, options.exempt_tag), "true");
}

// The first step that did not complete, and why, for the log line.
std::string FirstFailure(const response::TargetReport& report) {
  for (const response::StepReport& r : report.steps) {
    if (r.status == response::StepStatus::kFailed) return r.step + " failed: " + r.error.ToString();
    if (r.status == response::StepStatus::kNotAttempted) return r.step + " " + r.detail;
  }
  return report.journal_error.empty() ? "a journal record was lost" : "the case journal failed: " + report.journal_error;
}

Json StepLine(const std::string& message_id, const std::string& case_id, const cloud::ResolvedTarget& target,
              const response::StepReport& r) {
  Json j = {{"log", "step"},         {"message_id", message_id},
            {"case", case_id},       {"instance_id", target.instance_id},
            {"step", r.step},        {"status", response::StepStatusName(r.status)}};
  if (r.status == response::StepStatus::kFailed) j["error"] = r.error.ToString();
  return j;
}

// Runs `plan` on the case, under its lock; `contain` also claims the instance first.
HandleResult RunCase(aws::Client& client, response::Plan plan, const Event& event, const std::string& message_id,
                     const std::string& case_id, bool contain, const WatchOptions& options,
                     const std::atomic<bool>* stop, const LogFn& log) {
  const std::string instance = plan.target.instance_id;
  evidence::LockHolder me;
  me.command = "watch";
  me.responder = options.responder;
  const evidence::CaseInfo info{options.responder, "watch: " + Describe(event)};
  auto opened = evidence::OpenLockedCase(options.cases_root / case_id, me, options.wait_lock, &info);
  if (!opened) return Finish(Outcome::kFailed, case_id, opened.error().ToString());
  evidence::CaseStore& store = *opened->store;
  std::string text = "watch: " + Describe(event) + ", message " + message_id +
                     (contain ? "" : "; the instance is exempt (" + options.exempt_tag + "=true): triaged, not contained");
  if (auto s = store.journal().Append(evidence::kind::kNote, instance, "watch",
                                      Json{{"text", text}, {"event", EventRecord(event, message_id)}});
      !s)
    return Finish(Outcome::kFailed, case_id, "the case journal failed: " + s.error().ToString());
  if (contain) {
    auto claimed = response::ClaimInstance(client, plan.target, case_id, "");
    if (!claimed) return Finish(Outcome::kFailed, case_id, claimed.error().ToString());
  }
  response::ResponseOptions response = options.response;
  response.case_id = case_id;
  response.responder = options.responder;
  response::Executor executor(&client, &store, &response,
                              [&](const cloud::ResolvedTarget& t, const response::StepReport& r) {
                                if (log) log(StepLine(message_id, case_id, t, r));
                              });
  executor.set_command("watch");
  executor.set_stop(stop, "the watcher is stopping (SIGTERM or SIGINT); the message comes back");
  std::vector<response::Plan> plans;
  plans.push_back(std::move(plan));
  std::vector<response::TargetReport> reports = executor.Run(plans, 1);
  const response::TargetReport& report = reports.front();
  if (report.failed() || !store.journal().healthy()) {
    bool stopped = stop != nullptr && stop->load();
    return Finish(stopped ? Outcome::kStopped : Outcome::kFailed, case_id, FirstFailure(report));
  }
  if (auto s = store.SetStatus(contain ? "contained" : "triaged"); !s)
    return Finish(Outcome::kFailed, case_id, s.error().ToString());
  return Finish(contain ? Outcome::kContained : Outcome::kTriaged, case_id,
                report.changed() ? "" : "already done; nothing changed");
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kContained: return "contained";
    case Outcome::kTriaged: return "triaged";
    case Outcome::kIgnored: return "ignored";
    case Outcome::kHeldElsewhere: return "held-by-another-case";
    case Outcome::kUnknownInstance: return "unknown-instance";
    case Outcome::kFailed: return "failed";
    case Outcome::kStopped: return "stopped";
  }
  return "failed";
}

HandleResult HandleEvent(aws::Client& client, const Event& event, const std::string& message_id,
                         const WatchOptions& options, const std::atomic<bool>* stop, const LogFn& log) {
  if (std::string why = WhyIgnored(event, options); !why.empty()) return Finish(Outcome::kIgnored, "", why);
  const std::string case_id = CaseIdFor(event, options.case_prefix);
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
  if (IsExempt(*tags, options)) {
    response::StepSelection only_record;
    only_record.only = {"record-pre-state"};
    return RunCase(client, response::BuildContainPlan(*target, only_record), event, message_id, case_id, false,
                   options, stop, log);
  }
  // Contained under another case already (another finding for the same instance): that case holds
  // the record; this event has nothing left to do. Only claimed, not yet contained: try again later.
  response::ClaimState claim = response::ClaimFromTags(*tags);
  if (!claim.holder_case.empty() && claim.holder_case != case_id) {
    if (claim.contained)
      return Finish(Outcome::kHeldElsewhere, claim.holder_case,
                    "instance " + target->instance_id + " is contained under case " + claim.holder_case);
    return Finish(Outcome::kFailed, case_id, "instance " + target->instance_id + " is claimed by case " +
                                                 claim.holder_case + "; the message comes back");
  }
  response::Plan plan = response::BuildContainPlan(*target, options.selection);
  response::ArrangeMemoryCapture(options.response.memory, &plan);
  return RunCase(client, std::move(plan), event, message_id, case_id, true, options, stop, log);
}

}  // namespace cordon::automation
