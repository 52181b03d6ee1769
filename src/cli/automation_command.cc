#include "cli/automation_command.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "automation/automation_template.h"
#include "automation/deploy.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/result_output.h"

namespace cordon::cli {
namespace {

struct DeployFlags {
  std::string stack = "cordon-automation";
  std::vector<std::string> parameters;  // K=V
  std::map<std::string, std::string> parsed;
  ResultFlags result;  // --output (default json: the outputs are a document), --query
};

Status Check(DeployFlags& f) {
  for (const std::string& p : f.parameters) {
    size_t eq = p.find('=');
    if (eq == 0 || eq == std::string::npos)
      return MakeError(ErrorKind::kInvalidArgument, "--parameter takes NAME=VALUE, e.g. MaxReceiveCount=3");
    f.parsed[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return CheckResultFlags(f.result);
}

int Deploy(const CommandContext& ctx, const DeployFlags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  auto deployed = automation::DeployAutomation(**client, f.stack, f.parsed);
  if (!deployed) return ReportError(deployed.error());
  Json outputs = Json::object();
  for (const auto& [k, v] : deployed->outputs) outputs[k] = v;
  std::string watch = "cordon watch --queue " + deployed->outputs["QueueUrl"];
  if (!deployed->outputs["TopicArn"].empty()) watch += " --notify sns:" + deployed->outputs["TopicArn"];
  Json out = {{"stack", f.stack},           {"stack_id", deployed->stack_id},
              {"status", deployed->status}, {"created", deployed->created},
              {"outputs", outputs},         {"watch", watch}};
  if (int status = PrintResult(out, f.result); status != kExitOk) return status;
  PrintInfo(deployed->created ? "stack " + f.stack + " created; run: " + watch
                              : "stack " + f.stack + " was already deployed; nothing changed");
  return kExitOk;
}

}  // namespace

CommandBody SetupAutomationTemplate(CLI::App& app) {
  app.description(
      "Print the CloudFormation template of `cordon watch`'s event plumbing: the queue and its\n"
      "dead-letter queue, the queue policy, the EventBridge rules and the hand-over topic.");
  return {[](const CommandContext&) {
            std::string_view t = automation::AutomationTemplate();
            std::fwrite(t.data(), 1, t.size(), stdout);
            return kExitOk;
          },
          {}};
}

CommandBody SetupAutomationDeploy(CLI::App& app) {
  app.description(
      "Create the stack of `cordon automation template` and wait for it (a rerun changes nothing), then\n"
      "print its outputs and the `cordon watch` command that reads it.");
  auto f = std::make_shared<DeployFlags>();
  app.add_option("--stack", f->stack, "the stack's name (default cordon-automation)");
  app.add_option(
      "--parameter", f->parameters,
      "a template parameter as NAME=VALUE (VisibilityTimeout, MaxReceiveCount, TriggerTagKey); repeatable");
  f->result.output = "json";
  AddResultFlags(app, &f->result, "the stack's outputs");
  return {[f](const CommandContext& ctx) { return Deploy(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli
