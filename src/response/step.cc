#include "response/step.h"

#include <algorithm>

#include "aws/errors/error_table.h"
#include "response/audit_capture.h"
#include "response/crash_hook.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

using evidence::StepState;
namespace kind = evidence::kind;

Json ErrorJson(const Error& e) {
  Json j = {{"kind", ErrorKindName(e.kind)}, {"message", e.message}};
  if (!e.code.empty()) j["code"] = e.code;
  if (e.http_status != 0) j["http_status"] = e.http_status;
  if (!e.request_id.empty()) j["request_id"] = e.request_id;
  return j;
}

std::string IamPrefix(const std::string& service) {
  if (service == "elb" || service == "elbv2") return "elasticloadbalancing";
  return service;
}

// The shared protocol of Run and RunUndo. `apply` gets the "before" to act on and the observation.
template <class ObserveFn, class DoneFn, class ApplyFn>
StepReport RunProtocol(StepContext& ctx, const std::string& step, bool cycles, ObserveFn observe,
                       DoneFn is_done, ApplyFn apply) {
  StepReport report;
  report.step = step;
  evidence::Journal& journal = ctx.store->journal();
  const std::string& target = ctx.target.instance_id;
  AuditScope scope(ctx.store, target, step);

  auto fail = [&](const Error& error, const Json& before) {
    report.status = StepStatus::kFailed;
    report.error = error;
    Json payload = {{"before", before}, {"error", ErrorJson(error)}};
    if (IsAccessDeniedError(error)) {
      report.missing_permission = MissingPermission(error, scope.records());
      payload["missing_permission"] = report.missing_permission;
    }
    payload["aws"] = scope.RecordsJson();
    if (auto s = journal.Append(kind::kStepFailed, target, step, payload); !s) report.error = s.error();
    MaybeCrashAfterOutcome(ctx.position);
    return report;
  };

  Result<evidence::StepOutcome> last = journal.LastOutcome(target, step);
  if (!last) return fail(last.error(), nullptr);
  ctx.journal_state = last->state;
  if (!cycles && (last->state == StepState::kDone || last->state == StepState::kInterrupted ||
                  last->state == StepState::kFailed)) {
    if (last->payload.is_object() && last->payload.contains("before"))
      ctx.prior_before = last->payload["before"];
  }

  Result<Json> observed = observe(ctx);
  if (!observed) return fail(observed.error(), nullptr);
  Json before = ctx.prior_before.is_null() ? *observed : ctx.prior_before;

  if (is_done(ctx, *observed)) {
    if (last->state == StepState::kDone) {
      report.status = StepStatus::kAlreadyDone;
      report.detail = "already done";
      return report;
    }
    Json payload = {{"before", before}, {"already", true}, {"aws", scope.RecordsJson()}};
    if (auto s = journal.Append(kind::kStepDone, target, step, payload); !s) return fail(s.error(), before);
    report.status = StepStatus::kAlreadyDone;
    report.detail = "nothing to do (live state already as wanted)";
    MaybeCrashAfterOutcome(ctx.position);
    return report;
  }

  Json intent = {{"before", before}};
  if (last->state == StepState::kInterrupted) intent["resumes_seq"] = last->seq;
  if (auto s = journal.Append(kind::kStepIntent, target, step, intent); !s) return fail(s.error(), before);

  Result<Json> result = apply(ctx, before, *observed);
  MaybeCrashBeforeOutcome(ctx.position);
  if (!result) return fail(result.error(), before);

  Json payload = {{"before", before}, {"result", *result}};
  if (!ctx.detail.empty()) payload["detail"] = ctx.detail;
  payload["aws"] = scope.RecordsJson();
  if (auto s = journal.Append(kind::kStepDone, target, step, payload); !s) return fail(s.error(), before);
  // The step is done and recorded; a lost note does not undo that. It leaves the journal unhealthy
  // (sticky), which stops every later step, and is named among the lost records.
  bool notes_lost = false;
  for (const std::string& note : ctx.notes)
    notes_lost = !journal.Append(kind::kNote, target, step, Json{{"text", note}}) || notes_lost;
  report.status = StepStatus::kDone;
  report.detail = ctx.detail.empty() ? "done" : "done (" + ctx.detail + ")";
  if (notes_lost) report.detail += "; its notes could not be journaled";
  report.partial = ctx.partial;
  MaybeCrashAfterOutcome(ctx.position);
  return report;
}

}  // namespace

Result<Json> StepContext::Call(std::string_view service, std::string_view op, Json input) const {
  aws::CallOptions o;
  o.region = target.region;
  return client->Call(service, op, std::move(input), o);
}

Result<Json> StepContext::CallAll(std::string_view service, std::string_view op, Json input) const {
  aws::CallOptions o;
  o.region = target.region;
  return client->CallAll(service, op, std::move(input), o);
}

std::string_view StepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kDone:
      return "done";
    case StepStatus::kAlreadyDone:
      return "already done";
    case StepStatus::kFailed:
      return "FAILED";
    case StepStatus::kSkipped:
      return "skipped";
    case StepStatus::kNotAttempted:
      return "not attempted";
  }
  return "?";
}

std::string MissingPermission(const Error& error, const std::vector<aws::AuditRecord>& calls) {
  // Credentials or signature refused: no policy change would help, so name no action.
  if (aws::IsCredentialRejection(error.code)) return "";
  static constexpr std::string_view kMarker = "perform: ";
  if (size_t at = error.message.find(kMarker); at != std::string::npos) {
    size_t start = at + kMarker.size();
    size_t end = error.message.find_first_of(" ,;", start);
    return error.message.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  // The last call that did not succeed (std::views::reverse does not compile with clang 14 and
  // libstdc++ 12).
  auto failed = std::find_if(calls.rbegin(), calls.rend(), [](const auto& c) { return c.outcome != "ok"; });
  if (failed != calls.rend()) return IamPrefix(failed->service) + ":" + failed->operation;
  return "";
}

StepReport Step::Run(StepContext& ctx) {
  return RunProtocol(
      ctx, std::string(name()), Cycles(), [this](StepContext& c) { return Observe(c); },
      [this](StepContext& c, const Json& o) { return IsDone(c, o); },
      [this](StepContext& c, const Json& before, const Json& observed) {
        c.observed = &observed;
        Result<Json> result = DoApply(c, before);
        c.observed = nullptr;
        return result;
      });
}

StepReport Step::RunUndo(StepContext& ctx, const Json& done) {
  const Json before = done.value("before", Json());
  // A step found already done (a fleet's second instance on a subnet already isolated, say) recorded
  // no result: its undo gets an empty one, so that no step has to tell null from an object.
  Json result = done.value("result", Json());
  if (!result.is_object()) result = Json::object();
  return RunProtocol(
      ctx, "release:" + std::string(name()), /*cycles=*/false,
      // What release acts on is the recorded before, as its drift assessment left it.
      [&](StepContext&) -> Result<Json> {
        return Json{{"restoring", before}};
      },
      [](StepContext& c, const Json&) { return c.journal_state == StepState::kDone; },
      // No observation for DoUndo: {"restoring": ...} is not what the step's Observe returns.
      [&](StepContext& c, const Json&, const Json&) { return DoUndo(c, before, result); });
}

}  // namespace cordon::response
