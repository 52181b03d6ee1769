// What `cordon watch` does with one event: find its instance, decide (ignore, triage an exempt
// instance, contain), and run the same plan and executor as `cordon contain` on the event's case,
// under the case lock and the instance claim (docs/concurrency.md). Whether the message may leave
// the queue is part of the answer: only once the case recorded its outcome (DESIGN.md §6 rule 11).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "automation/event.h"
#include "automation/policy.h"
#include "aws/client.h"
#include "base/json.h"
#include "response/bucket/bucket_ref.h"
#include "response/bucket/write_once.h"
#include "response/options.h"
#include "response/plan.h"

namespace cordon::automation {

struct WatchOptions {
  Policy policy;  // which events, and what to do; its exempt_tag and case_prefix
  std::filesystem::path cases_root;
  std::string responder = "cordon-watch";
  // The contain steps as --skip/--only choose them: without capture-memory for "contain", with it
  // for "contain+capture-memory" (SelectMemoryCapture).
  response::StepSelection selection, capture_selection;
  // asg mode and the rest; `memory` is used by "contain+capture-memory" only. case_id and responder
  // are set per event.
  response::ResponseOptions response;
  std::chrono::milliseconds wait_lock{std::chrono::minutes(5)};  // for another run of the same case
  // --notify sns:TOPIC_ARN: the hand-over (automation/handover.h) once a case converged; the message
  // is deleted only once it is published. Empty: none.
  std::string notify_topic;
  std::string owner_tags = "owner,team,contact", criticality_tags = "criticality,env,environment";
  // --evidence-bucket: recorded in each case the watcher opens (with the Object Lock it was checked
  // with), and every case it changes is exported there and its journal anchored, as after contain.
  // A converged case whose export failed keeps its message, so the redelivery exports it.
  std::optional<response::BucketRef> evidence_bucket;
  response::ObjectLockState bucket_lock;
};

enum class Outcome {
  kContained,        // the case converged (every step done or already done)
  kTriaged,          // exempt, or the rule says triage: the pre-state recorded in the case, nothing changed
  kIgnored,          // not an event watch acts on, or no policy rule matches (logged why)
  kHeldElsewhere,    // the instance is contained under another case already
  kUnknownInstance,  // no such instance in the event's region
  kFailed,           // anything else: a step failed, the lock or the claim was refused, an AWS error,
                     // the hand-over could not be published
  kStopped,          // the watcher was asked to stop before the case converged
};

std::string_view OutcomeName(Outcome outcome);

struct HandleResult {
  Outcome outcome = Outcome::kFailed;
  std::string case_id;
  std::string detail;  // why, for the log line (never a secret: error messages and ids)
  // The message may be deleted: the outcome is recorded (in the case, or there is nothing to record).
  bool done() const {
    return outcome == Outcome::kContained || outcome == Outcome::kTriaged || outcome == Outcome::kIgnored ||
           outcome == Outcome::kHeldElsewhere;
  }
};

// One JSON object per log line; called from worker threads, one call at a time is not promised.
using LogFn = std::function<void(const Json& line)>;

// Handles one parsed event. `client` is shared by concurrent calls; `stop`, when it becomes true,
// stops the plan before its next step (Executor::set_stop). Never throws; every failure is a result.
// Calls from several threads must not handle the same instance at once (the watcher serializes
// them): the case lock is per process and would refuse the second.
HandleResult HandleEvent(aws::Client& client, const Event& event, const std::string& message_id,
                         const WatchOptions& options, const std::atomic<bool>* stop, const LogFn& log);

}  // namespace cordon::automation
