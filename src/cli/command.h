// What a command is: a name, the shared setup it needs, and its own flags and body. Main
// (commands.cc) does the shared setup once, the same way for every command, as ninja's tool table
// says when each tool runs (RUN_AFTER_FLAGS, RUN_AFTER_LOAD) and the driver loads once for all.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>

#include "cli/command_context.h"

namespace cordon::cli {

// A command's body, called once the shared setup is done; returns the exit code.
using RunFn = std::function<int(const CommandContext&)>;
// The command's own check of its flags, called right after parsing, before any AWS call or case
// change: kInvalidArgument (exit 2) naming the flag. May normalise the flags it owns.
using CheckFn = std::function<Status()>;

// Targets the command's own flags name (contain --finding), added to `targets` once the client is
// made and before the targets are resolved; kInvalidArgument etc. stop the command as a bad target.
using TargetsFn = std::function<Status(aws::Client& client, TargetFlags* targets)>;

struct CommandBody {
  RunFn run;
  CheckFn check;           // may be empty
  TargetsFn targets_from;  // may be empty; needs::kTargets commands only
};

// Adds the command's own flags to `app` (bound to storage the body owns) and returns the body.
using SetupFn = CommandBody (*)(CLI::App& app);

struct Command {
  std::string_view name;
  std::string_view summary;
  unsigned needs;  // bits of needs::
  SetupFn setup;
};

}  // namespace cordon::cli
