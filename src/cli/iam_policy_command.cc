#include "cli/iam_policy_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_output.h"
#include "response/iam_policy.h"

namespace cordon::cli {

namespace {

struct IamPolicyFlags {
  std::string which = "triage,contain,release,preserve";
  ResultFlags result;  // --output (default json: the policy is a document to paste), --query
};

int IamPolicy(const IamPolicyFlags& f) {
  const std::string& which = f.which;
  std::vector<std::string> commands;
  for (const std::string& part : Split(which, ',')) {
    std::string c(Trim(part));
    if (!c.empty()) commands.push_back(c);
  }
  auto policy = response::PolicyFor(commands);
  if (!policy) return ReportError(policy.error());
  return PrintResult(*policy, f.result);
}

}  // namespace

CommandBody SetupIamPolicy(CLI::App& app) {
  app.description(
      "Print the least-privilege IAM policy the response commands need (built from the step table).");
  auto f = std::make_shared<IamPolicyFlags>();
  app.add_option("--for", f->which,
                 "comma-separated commands: " + Join(response::PolicyCommands(), ", ") +
                     "\n(default: triage,contain,release,preserve)");
  f->result.output = "json";
  AddResultFlags(app, &f->result, "the policy");
  return {[f](const CommandContext&) { return IamPolicy(*f); }, [f] { return CheckResultFlags(f->result); }};
}

}  // namespace cordon::cli
