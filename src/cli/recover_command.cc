#include "cli/recover_command.h"

#include <memory>

#include "cli/case_plan_command.h"
#include "cli/exit_codes.h"
#include "response/recover/recover.h"

namespace cordon::cli {
namespace {

namespace recover = response::recover;

bool NotWhole(const std::vector<response::TargetReport>& reports) {
  for (const auto& t : reports)
    for (const auto& s : t.steps)
      if (s.status == response::StepStatus::kFailed && s.error.code == recover::kNotWholeCode) return true;
  return false;
}

}  // namespace

CommandBody SetupRecover(CLI::App& app) {
  app.description(
      "Check that the service the suspect was part of recovered: its Auto Scaling group at desired\n"
      "capacity with InService, Healthy instances, each registered and healthy in every classic ELB and\n"
      "target group the suspect was in. A standalone suspect: --relaunch launches a replacement from\n"
      "its recorded configuration (never its volumes or user data) and registers it where it was.\n"
      "Exit 7 when the service is not whole after --wait.");
  struct Flags : CasePlanFlags {
    recover::RecoverOptions options;
  };
  auto f = std::make_shared<Flags>();
  AddCasePlanFlags(app, f.get(), false);
  app.add_flag("--relaunch", f->options.relaunch, "launch a replacement of a standalone suspect");
  app.add_option("--wait", f->options.wait_seconds, "seconds to wait for the service to be whole")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  return {[f](const CommandContext& ctx) {
            std::vector<response::TargetReport> reports;
            int status = RunCasePlan(
                ctx, *f,
                [&](const cloud::ResolvedTarget& t) { return recover::BuildRecoverPlan(t, f->options); },
                {"recovered"}, &reports);
            return NotWhole(reports) ? kExitNotRecovered : status;
          },
          {}};
}

}  // namespace cordon::cli
