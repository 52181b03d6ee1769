#include "response/ssm_command.h"

#include <algorithm>

#include "response/live_state.h"

namespace cordon::response {
namespace {

// GetCommandInvocation polls start at a second (a short command is done by then) and double up to ten
// seconds, so a capture that runs for an hour costs one call every ten seconds, not a throttled stream.
constexpr std::chrono::milliseconds kFirstPollPause{1000};
constexpr std::chrono::milliseconds kMaxPollPause{10000};

bool IsTerminal(const std::string& status) {
  return status == "Success" || status == "Failed" || status == "Cancelled" || status == "TimedOut";
}

}  // namespace

Result<std::string> FindLiveCommand(const StepContext& ctx, const std::string& comment) {
  auto out = ctx.CallAll("ssm", "ListCommands", Json{{"InstanceId", ctx.target.instance_id}});
  if (!out) return MakeError(out.error());
  std::string running;
  for (const Json& c : out->value("Commands", Json::array())) {
    if (Str(c, "Comment") != comment) continue;
    const std::string status = Str(c, "Status");
    if (status == "Success") return Str(c, "CommandId");  // a finished capture: verify it, never redo it
    if (status == "Pending" || status == "InProgress") running = Str(c, "CommandId");
  }
  return running;
}

Result<std::string> SendShellCommand(const StepContext& ctx, const ShellCommand& command) {
  Json input = {
      {"InstanceIds", {ctx.target.instance_id}},
      {"DocumentName", "AWS-RunShellScript"},
      {"Comment", command.comment},
      {"Parameters",
       {{"commands", command.lines}, {"executionTimeout", {std::to_string(command.timeout.count())}}}}};
  if (!command.output_bucket.empty()) {
    input["OutputS3BucketName"] = command.output_bucket;
    input["OutputS3KeyPrefix"] = command.output_prefix;
  }
  auto out = ctx.Call("ssm", "SendCommand", input);
  if (!out) return MakeError(out.error());
  std::string id = Str(out->value("Command", Json::object()), "CommandId");
  if (id.empty()) return MakeError(ErrorKind::kParse, "ssm:SendCommand returned no CommandId");
  return id;
}

Result<SsmInvocation> WaitForInvocation(const StepContext& ctx, const std::string& command_id,
                                        std::chrono::seconds wait) {
  Clock* clock = ctx.client->clock();
  const TimePoint deadline = clock->Now() + wait;
  std::chrono::milliseconds pause = kFirstPollPause;
  std::string last = "not yet delivered";
  for (;;) {
    // SSM answers InvocationDoesNotExist until the command reaches the instance: wait first.
    clock->SleepFor(pause);
    pause = std::min(pause * 2, kMaxPollPause);
    auto out = ctx.Call("ssm", "GetCommandInvocation",
                        Json{{"CommandId", command_id}, {"InstanceId", ctx.target.instance_id}});
    if (!out && out.error().code != "InvocationDoesNotExist") return MakeError(out.error());
    if (out) {
      last = Str(*out, "Status");
      if (IsTerminal(last)) {
        SsmInvocation inv;
        inv.command_id = command_id;
        inv.status = last;
        inv.status_details = Str(*out, "StatusDetails");
        inv.response_code = out->value("ResponseCode", -1);
        inv.stdout_text = Str(*out, "StandardOutputContent");
        inv.stderr_text = Str(*out, "StandardErrorContent");
        return inv;
      }
    }
    if (clock->Now() >= deadline)
      return MakeError(
          ErrorKind::kTransient,
          "SSM command " + command_id + " is still " + last + " after " + std::to_string(wait.count()) +
              "s; it keeps running on the host, and a rerun waits for it instead of sending another");
  }
}

Status RequireSsmOnline(const StepContext& ctx, const std::string& consequence,
                        const std::string& otherwise) {
  auto out = ctx.Call(
      "ssm", "DescribeInstanceInformation",
      Json{{"Filters", Json::array({Json{{"Key", "InstanceIds"}, {"Values", {ctx.target.instance_id}}}})}});
  if (!out) return MakeError(out.error());
  const Json list = out->value("InstanceInformationList", Json::array());
  if (list.empty())
    return MakeError(ErrorKind::kConflict,
                     ctx.target.instance_id + " is not managed by SSM (no agent registered), so " +
                         consequence + ": register the SSM agent (an instance profile allowing SSM), or " +
                         otherwise);
  const std::string ping = list[0].value("PingStatus", "");
  if (ping != "Online")
    return MakeError(ErrorKind::kConflict,
                     "the SSM agent on " + ctx.target.instance_id + " is " + ping + " (last ping " +
                         list[0].value("LastPingDateTime", "") +
                         "), not Online: Run Command cannot reach it. Check the agent and "
                         "its network path to SSM, or " +
                         otherwise);
  return Ok();
}

}  // namespace cordon::response
