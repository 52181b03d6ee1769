// What the commands that run a plan on a contained case's suspect share (lab, cleanup, recover):
// their flags, finding the suspect in the case, and the run around the plan.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/notify_flags.h"
#include "cli/result_output.h"
#include "response/executor.h"
#include "response/plan.h"

namespace cordon::cli {

struct CasePlanFlags {
  std::string target;
  ResultFlags result;  // --output, --query
  bool yes = false, plan_only = false;
  NotifyFlags notify;
};

// --target, --plan, --output, --notify (and its tag keys); and --yes when the command destroys
// something.
void AddCasePlanFlags(CLI::App& app, CasePlanFlags* f, bool destroys);

// The case's suspect: its only contained instance, or the one `wanted` names.
Result<cloud::ResolvedTarget> CaseSuspect(evidence::CaseStore& store, const std::string& wanted,
                                          const std::string& default_region);

// How a destructive command asks before it runs (without --yes).
enum class Confirmation { kNone, kYesNo, kTypeCaseId };

struct CasePlanRun {
  std::string verb;      // "lab up": the summary's verb
  std::string destroys;  // what the confirmation names; "" for kNone
  Confirmation confirm = Confirmation::kNone;
};

// Opens the case, finds the suspect, prints the plan (with --plan, only that), asks, runs the
// plan, prints the summary. Returns the exit status; `reports`, when given, gets the reports.
int RunCasePlan(const CommandContext& ctx, const CasePlanFlags& f,
                const std::function<response::Plan(const cloud::ResolvedTarget&)>& build,
                const CasePlanRun& run, std::vector<response::TargetReport>* reports = nullptr);

}  // namespace cordon::cli
