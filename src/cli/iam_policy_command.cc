#include "cli/iam_policy_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse_flags.h"
#include "response/iam_policy.h"

namespace cordon::cli {

int RunIamPolicy(int argc, char** argv) {
  CLI::App app{"Print the least-privilege IAM policy the response commands need (built from the step table).",
               "cordon iam-policy"};
  std::string which = "triage,contain,release,preserve";
  app.add_option("--for", which,
                 "comma-separated commands: triage, contain, release, preserve, hunt (default: all)");
  if (auto done = ParseFlags(app, argc, argv)) return *done;
  std::vector<std::string> commands;
  for (const std::string& part : Split(which, ',')) {
    std::string c(Trim(part));
    if (!c.empty()) commands.push_back(c);
  }
  auto policy = response::PolicyFor(commands);
  if (!policy) return ReportError(policy.error());
  std::printf("%s\n", policy->dump(2).c_str());
  return kExitOk;
}

}  // namespace cordon::cli
