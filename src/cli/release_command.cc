#include "cli/release_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/aws_flags.h"
#include "cli/contain_command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "response/case_paths.h"
#include "response/release.h"

namespace cordon::cli {

int RunRelease(int argc, char** argv) {
  CLI::App app{
      "Release a case's instances: restore the recorded pre-containment state exactly (ENI groups,\n"
      "Elastic IPs, Auto Scaling, load balancers, instance profile, attributes) and mark the tags released.",
      "cordon release"};
  std::string case_id, cases_dir, responder, output = "text";
  std::vector<std::string> targets;
  bool yes = false, force = false;
  aws::ClientFlags flags;
  app.add_option("TARGET", targets, "instance ids of the case to release (default: all of them)");
  app.add_option("--case", case_id, "case id")->required();
  app.add_flag("--force", force, "restore even where live state drifted from what cordon left");
  app.add_flag("--yes", yes, "do not ask for confirmation");
  app.add_option("--cases-dir", cases_dir, "where cases live (default $CORDON_CASES_DIR or ./cordon-cases)");
  app.add_option("--responder", responder, "who is responding (default $USER)");
  app.add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  AddAwsFlags(app, &flags);
  if (auto done = ParseFlags(app, argc, argv)) return *done;
  if (auto s = evidence::ValidateCaseId(case_id); !s) return ReportError(s.error());
  auto store = evidence::CaseStore::OpenExisting(response::CasesRoot(cases_dir) / case_id);
  if (!store) return ReportError(store.error());
  auto client = aws::MakeClient(flags);
  if (!client) return ReportError(client.error());

  if (!yes && !Confirm("Release case " + case_id + " (restore the recorded pre-state" +
                       (force ? ", --force" : "") + ")?"))
    return kExitUsage;

  response::ResponseOptions options;
  options.case_id = case_id;
  options.responder = response::DefaultResponder(responder);
  options.force = force;
  auto outcome = response::ReleaseCase(client->get(), store->get(), options, targets, PrintProgress);
  if (!outcome) return ReportError(outcome.error());
  for (const std::string& line : outcome->refusals) PrintError("drift: " + line);
  if (!outcome->refusals.empty())
    PrintError(
        "release refused for the targets above, nothing changed on them: live state no longer matches "
        "what cordon left; check it, then rerun with --force to restore what can still be restored");
  for (const std::string& line : outcome->skipped) PrintError("skipped (--force): " + line);
  PrintSummary(outcome->reports, case_id, output == "json", "released");
  // A refusal is a failure (exit 1); --force that had to skip something is partial (exit 6), and the
  // case still counts as released: what is left is journaled.
  int status = outcome->refusals.empty() ? ExitStatusFor(outcome->reports) : kExitFailed;
  if (status == kExitOk || status == kExitPartial) (void)(*store)->SetStatus("released");
  return status;
}

}  // namespace cordon::cli
