// botocore waiters (waiters-2.json): match one attempt's outcome against the acceptors, and poll.
//
// Semantics are botocore's (botocore/waiter.py), acceptor by acceptor:
//   path     the argument, evaluated on the output, equals `expected`;
//   pathAll  the argument gives a non-empty list whose every element equals `expected`;
//   pathAny  the argument gives a non-empty list with at least one element equal to `expected`;
//   status   the HTTP status equals `expected` (for errors as well as for successes);
//   error    `expected` is an error code equal to the error's code; `true` means any error,
//            `false` means no error (a successful response).
// Path matchers never match an error. The first acceptor that matches decides the state. When none
// matches, an error outcome means failure and a successful one means retry.
// "Equals" is Python's ==, as botocore compares with it: numbers by value, and true == 1.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "base/time.h"

namespace cordon::aws {

enum class WaiterState { kSuccess, kFailure, kRetry };

// "success", "failure" or "retry", as waiters-2.json spells the states.
std::string_view WaiterStateName(WaiterState state);

// Checks a waiter's config (one value of waiters-2.json's "waiters"): delay, maxAttempts, and for each
// acceptor a known state and matcher, an `expected`, and an argument that compiles when one is needed.
[[nodiscard]] Status ValidateWaiter(const Json& waiter);

// The state `outcome` leads to under `waiter`'s acceptors. `http_status` is the response's status;
// when it is 0 and `outcome` is an error, the error's http_status is used. When `explanation` is not
// null it receives why, in botocore's words: 'For expression "X" we matched expected path: "Y"' for
// a matched acceptor, 'An error occurred (Code): message' for an unmatched error, and nothing for
// an unmatched success. An acceptor whose argument does not compile, or fails to evaluate (a
// function type error), gives kFailure with the reason: botocore raises in both cases.
WaiterState MatchAcceptors(const Json& waiter, const Result<Json>& outcome, int http_status,
                           std::string* explanation = nullptr);

// One call of the waited-on operation: its parsed output or error, and the HTTP status when known.
struct WaiterAttempt {
  Result<Json> outcome;
  int http_status = 0;  // 0: 200 for a success, the error's http_status for an error
};

// Polls an operation until the acceptors say success or failure, or the attempts run out, sleeping
// `delay` seconds between attempts on the given clock (never after the last attempt).
// Thread-compatible; the clock must outlive the Waiter.
class Waiter {
 public:
  // `name` (e.g. "InstanceRunning") appears in errors. `config` is the waiter's entry in
  // waiters-2.json; Wait() validates it.
  Waiter(std::string name, Json config, Clock* clock);

  // Overrides of the config's delay and maxAttempts, as boto3's WaiterConfig={"Delay", "MaxAttempts"}.
  void set_delay(std::chrono::seconds delay) { delay_ = delay; }
  void set_max_attempts(int max_attempts) { max_attempts_ = max_attempts; }

  // Ok once an acceptor reaches success. Otherwise an error whose message starts "waiter NAME failed: ":
  //   - a failure acceptor matched: kConflict, "... terminal failure state: <explanation>";
  //   - an error no acceptor matched: that error (kind, code, status kept), message prefixed;
  //   - an error that did not come from the service (http_status 0, no code, e.g. the network):
  //     that error, prefixed, at once (botocore lets such exceptions through);
  //   - attempts exhausted: kTransient, "... timed out after N attempts" and the last matched
  //     acceptor, if any;
  //   - an invalid config: kInvalidArgument, before any attempt.
  [[nodiscard]] Status Wait(const std::function<Result<Json>()>& operation);
  [[nodiscard]] Status WaitWithStatus(const std::function<WaiterAttempt()>& operation);

  // Attempts made by the last Wait.
  int attempts() const { return attempts_; }

 private:
  std::string name_;
  Json config_;
  Clock* clock_;
  std::chrono::seconds delay_{-1};  // < 0: the config's
  int max_attempts_ = -1;           // < 0: the config's
  int attempts_ = 0;
};

}  // namespace cordon::aws
