// What `cordon watch` does with one event: find its instance, decide (ignore, triage an exempt
// instance, contain), and run the same plan and executor as `cordon contain` on the event's case,
// under the case lock and the instance claim (docs/concurrency.md). Whether the message may leave
// the queue is part of the answer: only once the case recorded its outcome (DESIGN.md §6 rule 11).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "automation/event.h"
#include "aws/client.h"
#include "base/json.h"
#include "response/options.h"
#include "response/plan.h"

namespace cordon::automation {

struct WatchOptions {
  std::string case_prefix = "AUTO";
  std::filesystem::path cases_root;
  std::string responder = "cordon-watch";
  // An instance carrying this tag with the value "true" (any case) is triaged, never contained.
  std::string exempt_tag = "cordon:exempt";
  // A tag change acts when it sets this key to this value (the runbook's "incident-response" tag).
  std::string trigger_key = "incident-response", trigger_value = "contain";
  // The contain steps, as --skip/--only choose them, capture-memory in or out (SelectMemoryCapture).
  response::StepSelection selection;
  response::ResponseOptions response;  // asg mode, memory capture, ...; case_id and responder set per event
  std::chrono::milliseconds wait_lock{std::chrono::minutes(5)};  // for another run of the same case
};

enum class Outcome {
  kContained,        // the case converged (every step done or already done)
  kTriaged,          // exempt: the pre-state recorded in the case, nothing changed
  kIgnored,          // not an event watch acts on (logged why)
  kHeldElsewhere,    // the instance is contained under another case already
  kUnknownInstance,  // no such instance in the event's region
  kFailed,           // anything else: a step failed, the lock or the claim was refused, an AWS error
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
