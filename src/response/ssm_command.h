// Running one shell script on the target through SSM Run Command (AWS-RunShellScript): finding a
// command an earlier run already sent (by its Comment), sending, and polling the invocation until
// it ends. A rerun after a crash must not start a second capture on the suspect (rule 8).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/error.h"
#include "response/step.h"

namespace cordon::response {

struct SsmInvocation {
  std::string command_id;
  std::string status;          // Success, Failed, Cancelled, TimedOut
  std::string status_details;  // e.g. ExecutionTimedOut, DeliveryTimedOut
  int response_code = -1;
  std::string stdout_text;  // SSM keeps the first 24,000 characters
  std::string stderr_text;
};

// The id of a command for the target with this Comment that is pending, running or succeeded (so
// it must be waited for, not sent again), or "" when there is none. ssm:ListCommands.
Result<std::string> FindLiveCommand(const StepContext& ctx, const std::string& comment);

struct ShellCommand {
  std::string comment;  // at most 100 characters; what FindLiveCommand looks for
  std::vector<std::string> lines;
  std::chrono::seconds timeout{3600};  // executionTimeout on the host
  std::string output_bucket;           // the full stdout/stderr are kept here too, when set
  std::string output_prefix;
};

// Ok when the target's SSM agent is registered and Online; else kConflict saying that `consequence`
// ("memory cannot be captured through Run Command") and what to do instead (`otherwise`).
Status RequireSsmOnline(const StepContext& ctx, const std::string& consequence, const std::string& otherwise);

// Sends `command` to the target (ssm:SendCommand) and returns the command id.
Result<std::string> SendShellCommand(const StepContext& ctx, const ShellCommand& command);

// How much longer than a command's own timeout cordon waits for its invocation: the host's verdict
// (timed out, or the script's own exit) must reach SSM before cordon stops waiting and calls it lost.
inline constexpr std::chrono::seconds kInvocationGrace{120};

// Polls ssm:GetCommandInvocation until the invocation ends or `wait` has passed (kTransient then,
// naming the command, which keeps running). InvocationDoesNotExist right after sending is normal.
Result<SsmInvocation> WaitForInvocation(const StepContext& ctx, const std::string& command_id,
                                        std::chrono::seconds wait);

}  // namespace cordon::response
