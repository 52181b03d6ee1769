#include "cli/case_plan_command.h"

#include <cstdio>

#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/response_output.h"

namespace cordon::cli {

void AddCasePlanFlags(CLI::App& app, CasePlanFlags* f, bool destroys) {
  app.add_option("--target", f->target, "the case's instance (when the case holds several)");
  app.add_flag("--plan", f->plan_only, "print the plan and change nothing");
  AddResultFlags(app, &f->result, "the plan's summary");
  if (destroys) app.add_flag("--yes", f->yes, "do not ask for confirmation");
  AddNotifyFlags(app, &f->notify);
}

Result<cloud::ResolvedTarget> CaseSuspect(evidence::CaseStore& store, const std::string& wanted,
                                          const std::string& default_region) {
  auto records = store.pre_state().All();
  if (!records) return MakeError(records.error());
  std::vector<const evidence::PreStateRecord*> found;
  std::string ids;
  for (const auto& r : *records) {
    ids += (ids.empty() ? "" : ", ") + r.target;
    if (wanted.empty() || r.target == wanted) found.push_back(&r);
  }
  if (records->empty())
    return MakeError(ErrorKind::kNotFound,
                     "case " + store.id() + " has contained no instance; run contain first");
  if (found.empty())
    return MakeError(ErrorKind::kNotFound,
                     "instance " + wanted + " is not one of case " + store.id() + "'s (" + ids + ")");
  if (found.size() > 1)
    return MakeError(ErrorKind::kAmbiguous, "case " + store.id() + " holds several instances (" + ids +
                                                "); say which with --target");
  cloud::ResolvedTarget target;
  target.instance_id = found[0]->target;
  target.region = found[0]->state.value("region", default_region);
  target.vpc_id = found[0]->state.value("vpc_id", "");
  target.matched_by = "case " + store.id();
  return target;
}

namespace {

bool Confirmed(const CasePlanFlags& f, const CasePlanRun& run, const std::string& case_id) {
  if (f.yes || run.confirm == Confirmation::kNone) return true;
  const std::string what = run.destroys + " of case " + case_id;
  if (run.confirm == Confirmation::kTypeCaseId) return ConfirmByTyping(what + ".", case_id);
  return Confirm(what + "?");
}

}  // namespace

int RunCasePlan(const CommandContext& ctx, const CasePlanFlags& f,
                const std::function<response::Plan(const cloud::ResolvedTarget&)>& build,
                const CasePlanRun& run, std::vector<response::TargetReport>* reports_out) {
  NotifyFlags notify = f.notify;
  if (auto s = CheckNotifyFlags(&notify); !s) return ReportError(s.error());
  if (auto s = CheckResultFlags(f.result); !s) return ReportError(s.error());
  auto store = ctx.OpenCase(ctx.command);
  if (!store) return ReportError(store.error());
  aws::Client& client = **ctx.Client();  // made before Run (needs::kClient)
  auto suspect = CaseSuspect(**store, f.target, client.region());
  if (!suspect) return ReportError(suspect.error());
  std::vector<response::Plan> plans;
  plans.push_back(build(*suspect));
  SafePrintf(f.plan_only ? stdout : stderr, "%s", response::FormatPlan(plans[0]).c_str());
  if (f.plan_only) return kExitOk;
  if (!Confirmed(f, run, ctx.case_flags.id)) return kExitUsage;
  response::ResponseOptions options;
  options.case_id = ctx.case_flags.id;
  options.responder = ctx.case_flags.responder;
  response::Executor executor(&client, *store, &options, PrintProgress);
  executor.set_command(ctx.command);
  std::vector<response::TargetReport> reports = executor.Run(plans);
  PrintSummary(reports, ctx.case_flags.id, f.result, run.verb);
  int status = ReportLostRecords(**store, ExitStatusFor(reports));
  automation::HandOverContext handover;
  handover.command = ctx.command;
  handover.result = run.verb;
  handover.reason = ctx.command + " by " + ctx.case_flags.responder;
  status = NotifyReports(client, **store, notify, handover, reports, status);
  if (reports_out != nullptr) *reports_out = std::move(reports);
  return status;
}

}  // namespace cordon::cli
