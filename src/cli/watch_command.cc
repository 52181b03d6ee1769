#include "cli/watch_command.h"

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "automation/handover.h"
#include "automation/policy.h"
#include "automation/watcher.h"
#include "cli/cases_root.h"
#include "cli/exit_codes.h"
#include "cli/json_log.h"
#include "cli/memory_flags.h"
#include "cli/output.h"
#include "cli/watch_results.h"
#include "evidence/case_store.h"
#include "response/bucket/write_once.h"
#include "response/case_paths.h"
#include "response/memory/capture_order.h"
#include "response/subnet_selection.h"

namespace cordon::cli {
namespace {

struct WatchFlags {
  std::string queue, cases_dir, responder = "cordon-watch", policy_file;
  std::string case_prefix = "AUTO", exempt_tag = "cordon:exempt", trigger_tag = "incident-response=contain";
  std::vector<CLI::Option*> policy_flags;  // --case-prefix, --exempt-tag, --trigger-tag: not with --policy
  std::string asg = "detach", notify;
  int wait_lock_seconds = 300;
  bool once = false;
  response::StepSelection selection;
  MemoryFlags memory;
  ResultFlags result;  // --output, --query: of each handled event, on stdout (watch_results.h)
  automation::WatchOptions options;
  automation::LoopOptions loop;
};

// Set by SIGTERM/SIGINT; a lock-free atomic is safe to store from a signal handler.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnStopSignal(int) { stop_requested.store(true); }

void InstallStopHandlers() {
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

// Without --policy: contain every finding on an instance and the --trigger-tag change, capturing
// memory when --capture-memory is given.
Result<automation::Policy> FlagPolicy(const WatchFlags& f, bool capture) {
  if (auto s = evidence::ValidateCaseId(f.case_prefix); !s || f.case_prefix.size() > 16)
    return MakeError(
        ErrorKind::kInvalidArgument,
        "--case-prefix must be 1-16 letters, digits, '-', '_' or '.', starting with a letter or digit");
  size_t eq = f.trigger_tag.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == f.trigger_tag.size())
    return MakeError(ErrorKind::kInvalidArgument,
                     "--trigger-tag must be KEY=VALUE, e.g. incident-response=contain");
  if (f.exempt_tag.empty()) return MakeError(ErrorKind::kInvalidArgument, "--exempt-tag must not be empty");
  automation::Policy policy =
      automation::DefaultPolicy(f.trigger_tag.substr(0, eq), f.trigger_tag.substr(eq + 1));
  policy.case_prefix = f.case_prefix;
  policy.exempt_tag = f.exempt_tag;
  if (capture)
    for (automation::Rule& r : policy.rules) r.action = automation::Action::kContainCaptureMemory;
  return policy;
}

Result<automation::Policy> ChoosePolicy(const WatchFlags& f, bool capture) {
  if (f.policy_file.empty()) return FlagPolicy(f, capture);
  for (const CLI::Option* o : f.policy_flags)
    if (o->count() > 0)
      return MakeError(ErrorKind::kInvalidArgument,
                       o->get_name() + " cannot be given with --policy; set it in the file");
  auto policy = automation::LoadPolicy(f.policy_file);
  if (!policy) return policy;
  if (policy->CapturesMemory() != capture)
    return MakeError(ErrorKind::kInvalidArgument,
                     capture
                         ? "--capture-memory is given but no rule of the policy says contain+capture-memory"
                         : "a rule of the policy says contain+capture-memory: give --capture-memory, "
                           "--evidence-bucket, --memory-tool and --memory-tool-sha256");
  return policy;
}

// The steps of "contain" (capture-memory left out) and of "contain+capture-memory".
Status ChooseSteps(WatchFlags& f, const response::MemoryCaptureOptions& memory) {
  if (auto s = response::ValidateSelection(f.selection); !s) return s;
  // No network ACL from a watcher: --nacl names the neighbours it cuts off before a person says yes.
  if (auto s = response::SelectSubnetIsolation(false, &f.selection); !s) return s;
  response::StepSelection plain = f.selection;
  std::erase(plain.skip, "capture-memory");
  std::erase(plain.only, "capture-memory");
  if (auto s = response::SelectMemoryCapture(response::MemoryCaptureOptions{}, &plain); !s) return s;
  f.options.selection = plain;
  f.options.capture_selection = f.selection;
  return response::SelectMemoryCapture(memory, &f.options.capture_selection);
}

Status Check(WatchFlags& f) {
  if (auto s = CheckResultFlags(f.result); !s) return s;
  auto memory = ParseMemoryFlags(f.memory);
  if (!memory) return MakeError(memory.error());
  // The bucket is where every case goes (exported and anchored), and the memory capture's too.
  auto bucket = ParseEvidenceBucket(f.memory);
  if (!bucket) return MakeError(bucket.error());
  f.options.evidence_bucket = *bucket;
  auto policy = ChoosePolicy(f, memory->enabled);
  if (!policy) return MakeError(policy.error());
  f.options.policy = std::move(*policy);
  f.options.response.memory = *memory;
  if (auto s = ChooseSteps(f, *memory); !s) return s;
  if (!f.notify.empty()) {
    auto topic = automation::ParseNotifyTarget(f.notify);
    if (!topic) return MakeError(topic.error());
    f.options.notify_topic = *topic;
  }
  if (f.once) f.loop.exit_when_idle = 0;
  return Ok();
}

int Watch(const CommandContext& ctx, WatchFlags& f) {
  auto client = ctx.Client();
  if (!client) return ReportError(client.error());
  if (const auto& bucket = f.options.evidence_bucket) {
    // Before the first message: cases and memory go only to a bucket that cannot be rewritten.
    auto lock = response::RequireWriteOnce(**client, *bucket, f.memory.allow_unlocked, "--evidence-bucket");
    if (!lock) return ReportError(lock.error());
    if (!lock->write_once())
      PrintWarning(bucket->Uri() + " is not write-once (" + lock->Describe() + "); using it as " +
                   std::string(response::kAllowUnlockedFlag) + " says");
    f.options.bucket_lock = *lock;
  }
  auto root = CliCasesRoot(f.cases_dir);
  if (!root) return ReportError(root.error());
  f.options.cases_root = *root;
  f.options.responder = f.responder;
  f.options.wait_lock = std::chrono::seconds(f.wait_lock_seconds);
  f.options.response.asg_mode = f.asg == "standby" ? response::AsgMode::kStandby : response::AsgMode::kDetach;
  InstallStopHandlers();
  automation::SqsQueue queue(*client, f.queue);
  LogJsonLine(Json{{"log", "start"},
                   {"queue", f.queue},
                   {"jobs", f.loop.jobs},
                   {"cases_dir", f.options.cases_root.string()}});
  // Every line to the log; the events' results to stdout as well.
  auto log = [&f](const Json& line) {
    LogJsonLine(line);
    PrintWatchResult(WatchResult(line), f.result);
  };
  automation::Watcher watcher(*client, &queue, &f.options, &f.loop, log, &stop_requested);
  if (auto s = watcher.Run(); !s) return ReportError(s.error());
  return kExitOk;
}

}  // namespace

CommandBody SetupWatch(CLI::App& app) {
  app.description(
      "Watch an SQS queue fed by EventBridge and contain the instance of each GuardDuty finding or\n"
      "incident-response tag change, as `cordon contain` would, one case per event. A message is deleted\n"
      "once its case converged; what fails is left for the queue's dead-letter queue. SIGTERM or SIGINT:\n"
      "take nothing new, give back what is in flight, exit 0.");
  auto f = std::make_shared<WatchFlags>();
  app.add_option("--queue", f->queue, "the SQS queue URL")->required();
  app.add_option("--jobs", f->loop.jobs, "events handled at once (different instances; default 4)")
      ->check(CLI::Range(1, 64));
  app.add_option("--wait-seconds", f->loop.wait_seconds, "long-poll wait of each receive (0-20, default 20)")
      ->check(CLI::Range(0, 20));
  app.add_option("--visibility-timeout", f->loop.visibility_seconds,
                 "seconds a received message stays hidden (default: the queue's own)")
      ->check(CLI::Range(1, 43200));  // 0 would show a message to every receiver while it is handled
  app.add_option("--max-messages", f->loop.max_messages, "stop after receiving this many messages")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--exit-when-idle", f->loop.exit_when_idle,
                 "stop once nothing was received for this many seconds")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_flag("--once", f->once, "handle what is queued, then exit (--exit-when-idle 0)");
  app.add_option("--cases-dir", f->cases_dir, kCasesDirHelp);
  app.add_option("--responder", f->responder, "who the cases name as responder (default cordon-watch)");
  app.add_option("--policy", f->policy_file,
                 "the policy file: which events to act on and how (docs/watch-policy.md); default: contain\n"
                 "every GuardDuty finding on an instance and every --trigger-tag change");
  f->policy_flags = {
      app.add_option("--case-prefix", f->case_prefix,
                     "case ids start PREFIX-GD- or PREFIX-TAG- (default AUTO)"),
      app.add_option("--exempt-tag", f->exempt_tag,
                     "an instance with this tag set to true is only triaged (default cordon:exempt)"),
      app.add_option("--trigger-tag", f->trigger_tag,
                     "the tag change that contains an instance (default incident-response=contain)")};
  app.add_option("--wait-lock", f->wait_lock_seconds,
                 "wait this long for another run of an event's case (default 300)")
      ->check(CLI::Range(0, 24 * 3600));
  app.add_option("--notify", f->notify, "publish the hand-over of each converged case to sns:TOPIC_ARN");
  app.add_option("--owner-tags", f->options.owner_tags,
                 "tag keys naming the owner in the hand-over (default owner,team,contact)");
  app.add_option("--criticality-tags", f->options.criticality_tags,
                 "tag keys naming the criticality in the hand-over (default criticality,env,environment)");
  app.add_option("--asg", f->asg, "detach (default) or standby")->check(CLI::IsMember({"detach", "standby"}));
  app.add_option("--skip", f->selection.skip, "leave this contain step out; repeatable");
  app.add_option("--only", f->selection.only, "run only these contain steps; repeatable");
  AddMemoryFlags(app, &f->memory);
  AddResultFlags(app, &f->result, "the per-event results");
  return {[f](const CommandContext& ctx) { return Watch(ctx, *f); }, [f] { return Check(*f); }};
}

}  // namespace cordon::cli
