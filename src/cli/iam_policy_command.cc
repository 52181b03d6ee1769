#include "cli/iam_policy_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "response/iam_policy.h"

namespace cordon::cli {

namespace {

int IamPolicy(const std::string& which) {
  std::vector<std::string> commands;
  for (const std::string& part : Split(which, ',')) {
    std::string c(Trim(part));
    if (!c.empty()) commands.push_back(c);
  }
  auto policy = response::PolicyFor(commands);
  if (!policy) return ReportError(policy.error());
  PrintJson(*policy);
  return kExitOk;
}

}  // namespace

CommandBody SetupIamPolicy(CLI::App& app) {
  app.description(
      "Print the least-privilege IAM policy the response commands need (built from the step table).");
  auto which = std::make_shared<std::string>("triage,contain,release,preserve");
  app.add_option("--for", *which,
                 "comma-separated commands: triage, contain, release, preserve, hunt, lab, watch\n(default: "
                 "triage,contain,release,preserve)");
  return {[which](const CommandContext&) { return IamPolicy(*which); }, {}};
}

}  // namespace cordon::cli
