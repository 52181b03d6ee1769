// `cordon watch --queue URL`: contain instances on the events an SQS queue receives from
// EventBridge (automation/watcher.h).
#pragma once

#include "cli/command.h"

namespace cordon::cli {

CommandBody SetupWatch(CLI::App& app);

}  // namespace cordon::cli
