#include "cli/cleanup_command.h"

#include <memory>

#include "cli/case_plan_command.h"
#include "response/cleanup/cleanup.h"

namespace cordon::cli {

CommandBody SetupCleanup(CLI::App& app) {
  app.description(
      "End a true positive: check that the evidence is complete (a completed snapshot of every EBS\n"
      "volume, verified memory hashes where a capture was taken, the lab down), then terminate the\n"
      "suspect keeping its volumes, and delete the groups cordon made for it. Refuses, naming what\n"
      "is missing, before it changes anything.");
  struct Flags : CasePlanFlags {
    bool terminate = false;
    response::cleanup::CleanupOptions options;
  };
  auto f = std::make_shared<Flags>();
  AddCasePlanFlags(app, f.get(), true);
  app.add_flag("--terminate-suspect", f->terminate, "required: says that the suspect is to be terminated");
  app.add_flag("--accept-missing-memory", f->options.accept_missing_memory,
               "terminate although a started memory capture did not finish (journaled as waived)");
  return {[f](const CommandContext& ctx) {
            return RunCasePlan(
                ctx, *f,
                [&](const cloud::ResolvedTarget& t) {
                  return response::cleanup::BuildCleanupPlan(t, f->options);
                },
                {"cleaned up",
                 "Terminate the suspect (its volumes and snapshots are kept) and delete cordon's "
                 "groups",
                 Confirmation::kTypeCaseId});
          },
          [f]() -> Status {
            if (!f->plan_only && !f->terminate)
              return MakeError(
                  ErrorKind::kInvalidArgument,
                  "cleanup terminates the suspect: say so with --terminate-suspect (or --plan to see "
                  "the plan)");
            return Ok();
          }};
}

}  // namespace cordon::cli
