#include "cli/release_command.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/response_output.h"
#include "cli/target_accounts.h"
#include "cli/target_location.h"
#include "response/instance_claim.h"
#include "response/release.h"
#include "response/release_plan.h"

namespace cordon::cli {
namespace {

struct ReleaseFlags {
  std::vector<std::string> targets;
  ResultFlags result;  // --output, --query
  bool yes = false, force = false, plan_only = false;
};

void PrintDrift(const response::ReleaseOutcome& outcome) {
  for (const std::string& line : outcome.refusals) PrintError("drift: " + line);
  // A target another case holds is refused even with --force, so --force is no hint for it.
  if (outcome.refusals.size() > outcome.held.size())
    PrintError(
        "release refused for the targets above, nothing changed on them: live state no longer matches "
        "what cordon left; check it, then rerun with --force to restore what can still be restored");
  else if (!outcome.held.empty())
    PrintError(
        "release refused for the targets above, nothing changed on them: release them from the "
        "case that holds them");
  for (const std::string& line : outcome.skipped) PrintError("skipped (--force): " + line);
}

// The client of each target of the case: the profile's, or for a target contain found in another
// account (its target.location names the role assumed there) a client assuming that role again, so
// release goes back where the target is without --accounts.
class ReleaseClients {
 public:
  ReleaseClients(aws::Client& base, std::map<std::string, TargetLocation> where, std::string case_id)
      : base_(base), where_(std::move(where)), case_id_(std::move(case_id)) {}

  aws::Client& For(const std::string& instance_id) {
    auto it = where_.find(instance_id);
    if (it == where_.end() || it->second.role_arn.empty()) return base_;
    auto& client = by_role_[it->second.role_arn];
    if (!client) client = aws::MakeAssumedRoleClient(base_, it->second.role_arn, SessionNameFor(case_id_));
    return *client;
  }
  // `targets` by the client each is released with, in the order given within each.
  std::map<aws::Client*, std::vector<std::string>> Group(const std::vector<std::string>& targets) {
    std::map<aws::Client*, std::vector<std::string>> out;
    for (const std::string& t : targets) out[&For(t)].push_back(t);
    return out;
  }

 private:
  aws::Client& base_;
  std::map<std::string, TargetLocation> where_;
  std::string case_id_;
  std::map<std::string, std::shared_ptr<aws::Client>> by_role_;
};

// The case's targets (or those asked for) that this case still holds. A target another case took
// over is refused by name: releasing it would undo what that case holds.
Result<std::vector<std::string>> TargetsStillHeld(const CommandContext& ctx, ReleaseClients& clients,
                                                  evidence::CaseStore& store, const ReleaseFlags& f,
                                                  std::vector<std::string>* refused) {
  auto records = store.pre_state().All();
  if (!records) return MakeError(records.error());
  std::vector<std::string> held;
  for (const auto& r : *records) {
    if (!f.targets.empty() && std::find(f.targets.begin(), f.targets.end(), r.target) == f.targets.end())
      continue;
    aws::Client& client = clients.For(r.target);
    cloud::ResolvedTarget target;
    target.instance_id = r.target;
    target.region = r.state.value("region", client.region());
    auto claim = response::ReadClaim(client, target);
    if (claim && !claim->holder_case.empty() && claim->holder_case != ctx.case_flags.id) {
      refused->push_back("instance " + r.target + " is now held by case " + claim->holder_case +
                         "; release it from that case");
      continue;
    }
    // A claim that cannot be read (the instance gone, say) is for the release's own checks to judge.
    held.push_back(r.target);
  }
  return held;
}

// --plan: what release would undo on each target and what would make it refuse; changes nothing.
int PrintReleasePlan(ReleaseClients& clients, evidence::CaseStore& store, const ReleaseFlags& f,
                     const response::ResponseOptions& options) {
  auto records = store.pre_state().All();
  if (!records) return ReportError(records.error());
  std::vector<std::string> targets = f.targets;
  if (targets.empty())
    for (const auto& r : *records) targets.push_back(r.target);
  std::vector<response::ReleaseTargetPlan> plans;
  // Each account's targets with its client; a case never contained goes to PlanRelease, which says so.
  auto groups = clients.Group(targets);
  if (groups.empty()) groups[&clients.For("")] = {};
  for (auto& [client, mine] : groups) {
    auto some = response::PlanRelease(client, &store, options, mine);
    if (!some) return ReportError(some.error());
    for (auto& p : *some) plans.push_back(std::move(p));
  }
  if (f.result.structured())
    return PrintResult(response::ReleasePlanToJson(plans, options.case_id), f.result);
  SafePrintf(stdout, "%s", response::FormatReleasePlan(plans, options.case_id).c_str());
  return kExitOk;
}

response::ResponseOptions MakeOptions(const CommandContext& ctx, const ReleaseFlags& f) {
  response::ResponseOptions options;
  options.case_id = ctx.case_flags.id;
  options.responder = ctx.case_flags.responder;
  options.force = f.force;
  return options;
}

// Releases `targets`, each with the client of its account, one account after the other (a release
// run marks unfinished steps of the case interrupted, so two must not run at once).
Result<response::ReleaseOutcome> ReleaseAll(ReleaseClients& clients, evidence::CaseStore& store,
                                            const response::ResponseOptions& options,
                                            const std::vector<std::string>& targets) {
  if (targets.empty())  // nothing held: ReleaseCase says what the case holds
    return response::ReleaseCase(&clients.For(""), &store, options, targets, PrintProgress);
  response::ReleaseOutcome all;
  for (auto& [client, mine] : clients.Group(targets)) {
    auto outcome = response::ReleaseCase(client, &store, options, mine, PrintProgress);
    if (!outcome) return outcome;
    auto append = [](std::vector<std::string>& to, std::vector<std::string>& from) {
      to.insert(to.end(), from.begin(), from.end());
    };
    all.reports.insert(all.reports.end(), outcome->reports.begin(), outcome->reports.end());
    append(all.refusals, outcome->refusals);
    append(all.held, outcome->held);
    append(all.skipped, outcome->skipped);
  }
  return all;
}

int Release(const CommandContext& ctx, const ReleaseFlags& f) {
  const std::string& case_id = ctx.case_flags.id;
  auto store = ctx.OpenCase("release");
  if (!store) return ReportError(store.error());
  const response::ResponseOptions options = MakeOptions(ctx, f);
  auto where = ReadTargetLocations(**store);
  if (!where) return ReportError(where.error());
  ReleaseClients clients(**ctx.Client(), std::move(*where), case_id);  // made before Run (needs::kClient)
  if (f.plan_only) return PrintReleasePlan(clients, **store, f, options);
  if (!f.yes && !Confirm("Release case " + case_id + " (restore the recorded pre-state" +
                         (f.force ? ", --force" : "") + ")?"))
    return kExitUsage;
  std::vector<std::string> refused;
  auto targets = TargetsStillHeld(ctx, clients, **store, f, &refused);
  if (!targets) return ReportError(targets.error());
  for (const std::string& line : refused) PrintError(line);
  if (targets->empty() && !refused.empty()) return kExitFailed;
  auto outcome = ReleaseAll(clients, **store, options, *targets);
  if (!outcome) return ReportError(outcome.error());
  PrintDrift(*outcome);
  PrintSummary(outcome->reports, case_id, f.result, "released");
  // A refusal is a failure (exit 1); --force that had to skip something is partial (exit 6), and the
  // case still counts as released: what is left is journaled.
  int status = outcome->refusals.empty() && refused.empty() ? ExitStatusFor(outcome->reports) : kExitFailed;
  status = ReportLostRecords(**store, RecordCaseStatus(**store, status, "released"));
  return status;
}

}  // namespace

CommandBody SetupRelease(CLI::App& app) {
  app.description(
      "Release a case's instances: restore the recorded pre-containment state exactly (ENI groups,\n"
      "Elastic IPs, Auto Scaling, load balancers, instance profile, attributes) and mark the tags released.");
  auto f = std::make_shared<ReleaseFlags>();
  app.add_option("TARGET", f->targets, "instance ids of the case to release (default: all of them)");
  app.add_flag("--force", f->force, "restore even where live state drifted from what cordon left");
  app.add_flag("--yes", f->yes, "do not ask for confirmation");
  app.add_flag("--plan", f->plan_only, "print what release would undo and any drift, and change nothing");
  AddResultFlags(app, &f->result, "the plan and the summary");
  return {[f](const CommandContext& ctx) { return Release(ctx, *f); },
          [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli
