// capture-memory (DESIGN.md §3 rule 7, opt-in with `contain --capture-memory`): the memory image
// and a volatile-data bundle, streamed by the host to the evidence bucket through SSM Run Command.
//   1. After isolation (the default), the agent needs tcp/443 to the VPC's SSM and S3 endpoints:
//      the primary ENI goes from [isolation] to [isolation, cordon-ssm-reach-<vpc>] before the
//      command is sent, and back to [isolation] once it has ended (whatever its outcome), and the
//      case records both; the case's --allow-from group stays on it throughout when it is there.
//      Without the endpoints it fails before sending anything, saying so. With
//      --capture-before-isolation it runs first and needs no exception.
//   2. The instance must be SSM-managed and Online (ssm:DescribeInstanceInformation).
//   3. A command an earlier run sent (same Comment) that is still running or succeeded is waited
//      for; otherwise the script (memory_capture_script.h) is sent. Its id is journaled at once.
//   4. The host prints each object's SHA-256 and size; this step hashes the objects again from S3.
//      Both hashes go to the ledger; a mismatch or a missing object fails the step, and rule 5 then
//      keeps every later destructive step from running.
#include <algorithm>
#include <chrono>
#include <optional>

#include "base/strings.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/memory/memory_capture_script.h"
#include "response/memory/s3_object_hash.h"
#include "response/memory/ssm_endpoints.h"
#include "response/ssm_command.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

std::string KeyPrefix(const StepContext& ctx) {
  const MemoryCaptureOptions& m = ctx.options->memory;
  return (m.prefix.empty() ? "" : m.prefix + "/") + ctx.options->case_id + "/" + ctx.target.instance_id;
}

Result<Json> PrimaryEni(const StepContext& ctx) {
  auto enis = DescribeTargetEnis(ctx);
  if (!enis) return MakeError(enis.error());
  for (const Json& e : *enis)
    if (e.value("Attachment", Json::object()).value("DeviceIndex", -1) == 0) return e;
  return MakeError(ErrorKind::kConflict, ctx.target.instance_id + " has no primary network interface");
}

// Rule 7 after isolation: the agent gets HTTPS to the SSM and S3 endpoints through the ssm-reach
// group on the primary ENI, for this capture only. Returns the exception, for the step's result.
Result<Json> OpenSsmReach(StepContext& ctx) {
  const std::string& vpc = ctx.target.vpc_id;
  auto reach = FindSsmReach(ctx, vpc);
  if (!reach) return MakeError(reach.error());
  if (!reach->missing.empty())
    return MakeError(
        ErrorKind::kConflict,
        "the SSM agent on " + ctx.target.instance_id + " cannot reach SSM once isolated: VPC " + vpc +
            " has no available endpoint for " + Join(reach->missing) +
            " (interface endpoints com.amazonaws." + ctx.target.region +
            ".{ssm,ssmmessages,ec2messages}, and an S3 gateway or interface endpoint); nothing was "
            "sent. Create them, or rerun with --capture-before-isolation");
  auto groups = FindIsolationGroups(ctx, vpc);
  if (!groups) return MakeError(groups.error());
  if (groups->isolation_id.empty())
    return MakeError(ErrorKind::kConflict, "no cordon isolation group in " + vpc +
                                               ": capture after isolation needs isolate-network done first");
  auto eni = PrimaryEni(ctx);
  if (!eni) return MakeError(eni.error());
  // The case's --allow-from group stays on the ENI if it is there: the capture must not cut the
  // analysts' access (and closing the exception keeps it too).
  auto allow_id = FindAllowGroup(ctx, CaseIdOf(ctx), vpc);
  if (!allow_id) return MakeError(allow_id.error());
  const std::vector<std::string> now = GroupIdsWithoutSsmReach(*eni);
  const bool keep_allow = !allow_id->empty() && std::find(now.begin(), now.end(), *allow_id) != now.end();
  auto reach_id = EnsureSsmReachGroup(ctx, *reach);
  if (!reach_id) return MakeError(reach_id.error());
  const std::string eni_id = Str(*eni, "NetworkInterfaceId");
  Json eni_groups = Json::array({groups->isolation_id});
  if (keep_allow) eni_groups.push_back(*allow_id);
  eni_groups.push_back(*reach_id);
  auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                    Json{{"NetworkInterfaceId", eni_id}, {"Groups", eni_groups}});
  if (!r) return MakeError(r.error());
  Json exception = reach->ToJson();
  exception["group"] = *reach_id;
  exception["isolation_group"] = groups->isolation_id;
  if (keep_allow) exception["allow_group"] = *allow_id;
  exception["eni"] = eni_id;
  // An isolation exception nobody recorded must not stay: on failure the caller takes the group off
  // again (CloseSsmReach) and the step fails.
  auto noted = ctx.store->journal().Append(
      evidence::kind::kNote, ctx.target.instance_id, "capture-memory",
      Json{{"text", "isolation exception (rule 7, --capture-memory): " + eni_id + " is in " +
                        eni_groups.dump() + " while the capture runs; " + *reach_id +
                        " allows egress tcp/443 to the SSM endpoints and S3 of " + vpc + ": " +
                        exception["rules"].dump()},
           {"ssm_reach", "attached"},
           {"eni", eni_id},
           {"groups", eni_groups}});
  if (!noted) return MakeError(noted.error());
  return exception;
}

// Takes the ssm-reach group off the primary ENI when it is there: after the command ended, and on
// a rerun after a crash that left it there. Returns the ENI's groups now.
Result<Json> CloseSsmReach(StepContext& ctx) {
  auto eni = PrimaryEni(ctx);
  if (!eni) return MakeError(eni.error());
  const std::string eni_id = Str(*eni, "NetworkInterfaceId");
  const std::vector<std::string> kept = GroupIdsWithoutSsmReach(*eni);
  if (kept.size() == eni->value("Groups", Json::array()).size()) return Json(kept);
  auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                    Json{{"NetworkInterfaceId", eni_id}, {"Groups", kept}});
  if (!r) return MakeError(r.error());
  // Safe to drop: the group is off the ENI, which is what matters (a rerun reads live state). A
  // failure is sticky, so this step's outcome record fails at once and the engine starts nothing more.
  (void)ctx.store->journal().Append(
      evidence::kind::kNote, ctx.target.instance_id, "capture-memory",
      Json{{"text", "isolation exception ended: " + SsmReachGroupName(ctx.target.vpc_id) + " removed from " +
                        eni_id + ", now in " + Json(kept).dump()},
           {"ssm_reach", "detached"},
           {"eni", eni_id},
           {"groups", kept}});
  return Json(kept);
}

class CaptureMemoryStep : public Step {
 public:
  std::string_view name() const override { return "capture-memory"; }

 protected:
  Result<Json> Observe(StepContext&) override { return Json::object(); }
  // Evidence is only "done" once recorded; live state cannot tell.
  bool IsDone(StepContext& ctx, const Json&) override {
    return ctx.journal_state == evidence::StepState::kDone;
  }

  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    const MemoryCaptureOptions& m = ctx.options->memory;
    if (!m.enabled || m.bucket.empty() || m.tool.empty() || m.tool_sha256.empty())
      return MakeError(ErrorKind::kInvalidArgument,
                       "capture-memory needs --capture-memory, --evidence-bucket, --memory-tool and "
                       "--memory-tool-sha256");
    const std::string prefix = KeyPrefix(ctx);
    const std::string comment = "cordon:capture-memory:" + ctx.options->case_id;
    auto found = FindLiveCommand(ctx, comment);
    if (!found) return MakeError(found.error());
    const bool reused = !found->empty();
    // A command of an earlier run that has already ended needs no path to SSM: look before opening.
    std::optional<SsmInvocation> ended;
    if (reused) {
      auto probe = WaitForInvocation(ctx, *found, std::chrono::seconds(0));
      if (probe) ended = *probe;
    }
    Json exception;
    if (!m.before_isolation && !ended) {
      auto e = OpenSsmReach(ctx);
      if (!e) {
        (void)CloseSsmReach(ctx);  // a crashed run's group must not stay when this one cannot start
        return MakeError(e.error());
      }
      exception = *e;
    }
    Result<SsmInvocation> inv =
        ended ? Result<SsmInvocation>(*ended) : RunOnHost(ctx, *found, comment, prefix);
    if (!m.before_isolation) {
      // Whatever the outcome (failed, timed out, or the hashes still to be checked): the host is
      // done with SSM, or no longer waited for, so the exception ends here.
      auto closed = CloseSsmReach(ctx);
      if (!closed) {
        Error e = closed.error();
        e.message = "could not remove " + SsmReachGroupName(ctx.target.vpc_id) + " from the primary ENI of " +
                    ctx.target.instance_id + " after the capture (a rerun removes it): " + e.message +
                    (inv ? "" : "; the capture itself: " + inv.error().message);
        return MakeError(e);
      }
      exception["eni_groups_after"] = *closed;
    }
    if (!inv) return MakeError(inv.error());
    auto host = ParseHostOutput(inv->stdout_text);
    if (!host) return MakeError(host.error());
    const std::string& command_id = inv->command_id;
    if (inv->status != "Success" || !host->abort.empty() || !host->done) {
      std::string why = !host->abort.empty() ? "the host aborted: " + host->abort
                                             : "status " + inv->status + " (" + inv->status_details +
                                                   ", exit " + std::to_string(inv->response_code) + ")";
      std::string err = std::string(Trim(inv->stderr_text)).substr(0, 300);
      return MakeError(ErrorKind::kService, "memory capture command " + command_id + " on " +
                                                ctx.target.instance_id + " did not succeed: " + why +
                                                (err.empty() ? "" : "; stderr: " + err));
    }
    return Record(ctx, *inv, *host, prefix, reused, exception);
  }

 private:
  // Checks the agent, sends the script unless `command_id` (an earlier run's) is given, and waits
  // for the command to end.
  Result<SsmInvocation> RunOnHost(StepContext& ctx, std::string command_id, const std::string& comment,
                                  const std::string& prefix) {
    const MemoryCaptureOptions& m = ctx.options->memory;
    if (auto s = RequireSsmOnline(ctx, "memory cannot be captured through Run Command",
                                  "rerun with --skip capture-memory and capture memory another way");
        !s)
      return MakeError(s.error());
    if (command_id.empty()) {
      ShellCommand command;
      command.comment = comment;
      command.lines = MemoryCaptureScript({ctx.target.region, m.bucket, prefix, m.tool, m.tool_sha256});
      command.timeout = m.timeout;
      command.output_bucket = m.bucket;
      command.output_prefix = prefix + "/ssm-output";
      auto sent = SendShellCommand(ctx, command);
      if (!sent) return MakeError(sent.error());
      command_id = *sent;
      // Journaled now, not with the outcome: a crash while the host works must still show what runs.
      // When it cannot be, the capture could not be recorded either: stop waiting for it (the step
      // fails; the command goes on, and a rerun finds it by its comment).
      auto noted = ctx.store->journal().Append(
          evidence::kind::kNote, ctx.target.instance_id, name(),
          Json{{"text", "sent SSM command " + command_id + " (AWS-RunShellScript, memory capture)"},
               {"command_id", command_id}});
      if (!noted) return MakeError(noted.error());
    }
    // A little longer than the host's own timeout, so the host's verdict arrives first.
    return WaitForInvocation(ctx, command_id, m.timeout + kInvocationGrace);
  }

  // Hashes every object on the evidence side, compares, then records them all (or none).
  Result<Json> Record(StepContext& ctx, const SsmInvocation& inv, const HostOutput& host,
                      const std::string& prefix, bool reused, const Json& exception) {
    const MemoryCaptureOptions& m = ctx.options->memory;
    struct Checked {
      HostEvidence host;
      ObjectDigest evidence;
      std::string key;
    };
    std::vector<Checked> checked;
    for (auto [label, object] :
         {std::pair{"volatile", kVolatileObject}, std::pair{"memory", kMemoryObject}}) {
      auto it = host.evidence.find(label);
      const std::string key = prefix + "/" + std::string(object);
      const std::string uri = "s3://" + m.bucket + "/" + key;
      if (it == host.evidence.end())
        return MakeError(ErrorKind::kParse,
                         "the host reported no hash for " + uri + " (command " + inv.command_id + ")");
      if (it->second.uri != uri)
        return MakeError(ErrorKind::kConflict, "the host reported " + it->second.uri + ", expected " + uri);
      auto digest = HashS3Object(ctx, m.bucket, key);
      if (!digest) {
        Error e = digest.error();
        if (e.kind == ErrorKind::kNotFound)
          e.message = "evidence object missing: " + e.message + " although the host (command " +
                      inv.command_id + ") reported uploading it";
        return MakeError(e);
      }
      if (digest->sha256 != it->second.sha256 || digest->size != it->second.size)
        return MakeError(
            ErrorKind::kConflict,
            "hash mismatch for " + uri + ": the host computed sha256 " + it->second.sha256 + " (" +
                std::to_string(it->second.size) + " bytes), the evidence side " + digest->sha256 + " (" +
                std::to_string(digest->size) +
                " bytes); not recorded as evidence. The object changed after the host sent it, or "
                "the output was tampered with");
      checked.push_back({it->second, *digest, key});
    }
    Json objects = Json::array();
    std::string detail;
    for (const Checked& c : checked) {
      evidence::EvidenceItem item;
      item.target = ctx.target.instance_id;
      item.kind = c.host.name == "memory" ? evidence::EvidenceKind::kMemory : evidence::EvidenceKind::kFile;
      item.location = c.host.uri;
      item.sha256 = c.evidence.sha256;
      item.size = c.evidence.size;
      item.source = "ssm:SendCommand " + inv.command_id + " on " + ctx.target.instance_id + " (" +
                    c.host.name + ", tool " + m.tool + " sha256 " + m.tool_sha256 + ")";
      item.collector = ctx.options->responder;
      item.step = std::string(name());
      item.details = Json{{"host_sha256", c.host.sha256}, {"evidence_sha256", c.evidence.sha256},
                          {"host_size", c.host.size},     {"etag", c.evidence.etag},
                          {"command_id", inv.command_id}, {"tool", m.tool},
                          {"tool_sha256", m.tool_sha256}, {"before_isolation", m.before_isolation}};
      auto added = ctx.store->evidence().AddEvidence(item);
      if (!added) return MakeError(added.error());
      objects.push_back(Json{{"name", c.host.name},
                             {"location", c.host.uri},
                             {"host_sha256", c.host.sha256},
                             {"sha256", c.evidence.sha256},
                             {"size", c.evidence.size},
                             {"evidence_id", added->id}});
      detail += (detail.empty() ? "" : ", ") + c.host.name + " " + std::to_string(c.evidence.size) +
                " bytes sha256 " + c.evidence.sha256.substr(0, 12);
    }
    ctx.detail = detail + (reused ? " (command of an earlier run)" : "");
    return Json{{"command_id", inv.command_id},
                {"status", inv.status},
                {"reused_command", reused},
                {"order", m.before_isolation ? "before-isolation" : "after-isolation"},
                {"isolation_exception", exception},
                {"objects", objects}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeCaptureMemoryStep() { return std::make_unique<CaptureMemoryStep>(); }

}  // namespace cordon::response
