// `cordon automation template|deploy`: the event plumbing of `cordon watch` as a CloudFormation stack
// (automation/automation_template.h, automation/deploy.h).
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupAutomationTemplate(CLI::App& app);
CommandBody SetupAutomationDeploy(CLI::App& app);

}  // namespace cordon::cli
