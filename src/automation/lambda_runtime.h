// cordon as an AWS Lambda function (provided.al2023): the Runtime API loop. Each invocation's event
// is an EventBridge event as `cordon watch` receives it from SQS (EventBridge invokes a function
// target with the event JSON itself), and is handled by the watcher's own HandleEvent: the same
// policy, plans, executor, case lock and instance claim, so a redelivered event continues its case.
//
// Per invocation:
//   - every event of it done (contained, triaged, ignored, held by another case): /response with
//     {"results": [{"instance_id", "outcome", "case", "detail"}]};
//   - not an event (not JSON, no detail-type ...): /error, errorType "Cordon.InvalidEvent";
//   - an event failed, named an unknown instance or ran out of time: /error, errorType
//     "Cordon.Failed", "Cordon.UnknownInstance" or "Cordon.DeadlineExceeded", so that Lambda's own
//     retries (asynchronous invocation: two more) and then its on-failure destination or DLQ take it,
//     as the queue's redrive does for `cordon watch`.
// The deadline (Lambda-Runtime-Deadline-Ms) is honoured: `reserve` before it, the plan stops before
// its next step (Executor::set_stop) and the invocation reports Cordon.DeadlineExceeded while there
// is still time to say so; the retry continues the case where it stopped.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "automation/event_handler.h"
#include "automation/runtime_api.h"
#include "aws/client.h"
#include "base/error.h"

namespace cordon::automation {

struct LambdaOptions {
  WatchOptions watch;                       // policy, cases root (/tmp/... in Lambda), steps, hand-over topic
  std::chrono::milliseconds reserve{2000};  // stop this long before the deadline
  int max_invocations = 0;                  // return after this many (0: never; for tests and local runs)
};

// What one invocation comes to: a response body, or an error for /error.
struct InvocationResult {
  bool ok = false;
  std::string response;  // when ok
  LambdaError error;     // when not
};

// Handles one invocation's event (see above), stopping `options.reserve` before its deadline (the
// system clock: the deadline is Unix time). Never throws.
InvocationResult HandleInvocation(aws::Client& client, const Invocation& invocation,
                                  const LambdaOptions& options, const LogFn& log);

// Next, handle, report, forever (or max_invocations). Fails only when the Runtime API cannot be
// reached or refuses a report: Lambda then restarts the runtime. `stop`, when it becomes true, ends
// the loop after the invocation in hand.
[[nodiscard]] Status RunLambdaLoop(aws::Client& client, RuntimeApi& api, const LambdaOptions& options,
                                   const LogFn& log, const std::atomic<bool>* stop);

}  // namespace cordon::automation
