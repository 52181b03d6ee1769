// `cordon lambda-runtime` (the Runtime API loop the Lambda package's bootstrap runs) and
// `cordon automation package` (that package): automation/lambda_runtime.h, automation/lambda_package.h.
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupLambdaRuntime(CLI::App& app);
CommandBody SetupAutomationPackage(CLI::App& app);

}  // namespace cordon::cli
