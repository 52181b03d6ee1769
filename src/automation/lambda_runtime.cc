#include "automation/lambda_runtime.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon::automation {
namespace {

// Sets a flag once the deadline less the reserve has passed, until destroyed. The executor reads
// the flag before each step, so a plan never starts a step Lambda would cut off midway.
class DeadlineStop {
 public:
  DeadlineStop(int64_t deadline_ms, std::chrono::milliseconds reserve) {
    auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms)) - reserve;
    thread_ = std::thread([this, when] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_until(lock, when, [this] { return done_; })) stop_.store(true);
    });
  }
  ~DeadlineStop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  const std::atomic<bool>* flag() const { return &stop_; }
  bool passed() const { return stop_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

// The error type an outcome that leaves the event unhandled reports.
std::string ErrorType(Outcome outcome) {
  switch (outcome) {
    case Outcome::kUnknownInstance:
      return "Cordon.UnknownInstance";
    case Outcome::kStopped:
      return "Cordon.DeadlineExceeded";
    default:
      return "Cordon.Failed";
  }
}

InvocationResult Failure(std::string type, std::string message) {
  return InvocationResult{false, "", LambdaError{std::move(type), std::move(message)}};
}

}  // namespace

InvocationResult HandleInvocation(aws::Client& client, const Invocation& invocation,
                                  const LambdaOptions& options, const LogFn& log) {
  auto events = ParseEvents(invocation.body);
  if (!events) return Failure("Cordon.InvalidEvent", events.error().message);
  DeadlineStop deadline(invocation.deadline_ms, options.reserve);
  Json results = Json::array();
  const HandleResult* first_failure = nullptr;
  std::vector<HandleResult> handled;
  handled.reserve(events->size());  // first_failure points into it
  for (const Event& event : *events) {
    if (log)
      log(Json{{"log", "event"},
               {"request_id", invocation.request_id},
               {"kind", EventKindName(event.kind)},
               {"instance_id", event.instance_id}});
    handled.push_back(deadline.passed() ? HandleResult{Outcome::kStopped, "", "not started"}
                                        : HandleEvent(client, event, invocation.request_id, options.watch,
                                                      deadline.flag(), log));
    const HandleResult& r = handled.back();
    Json line = {{"instance_id", event.instance_id},
                 {"outcome", OutcomeName(r.outcome)},
                 {"case", r.case_id},
                 {"detail", r.detail}};
    if (log) {
      Json logged = {{"log", "outcome"}, {"request_id", invocation.request_id}};
      logged.update(line);
      log(logged);
    }
    results.push_back(std::move(line));
    if (!r.done() && first_failure == nullptr) first_failure = &r;
  }
  if (first_failure != nullptr) {
    std::string message = std::string(OutcomeName(first_failure->outcome)) +
                          (first_failure->case_id.empty() ? "" : " (case " + first_failure->case_id + ")") +
                          ": " + first_failure->detail;
    if (first_failure->outcome == Outcome::kStopped)
      message = "the invocation's deadline is near; the case continues on the retry: " + message;
    return Failure(ErrorType(first_failure->outcome), message);
  }
  return InvocationResult{
      true, Json{{"results", results}}.dump(-1, ' ', false, Json::error_handler_t::replace), {}};
}

Status RunLambdaLoop(aws::Client& client, RuntimeApi& api, const LambdaOptions& options, const LogFn& log,
                     const std::atomic<bool>* stop) {
  for (int n = 0; options.max_invocations <= 0 || n < options.max_invocations; ++n) {
    if (stop != nullptr && stop->load()) break;
    auto invocation = api.Next();
    if (!invocation) return MakeError(invocation.error());
    InvocationResult result = HandleInvocation(client, *invocation, options, log);
    Status reported = result.ok ? api.Respond(invocation->request_id, result.response)
                                : api.Fail(invocation->request_id, result.error);
    if (log) {
      Json line = {{"log", "reported"}, {"request_id", invocation->request_id}, {"ok", result.ok}};
      if (!result.ok) line["error_type"] = result.error.type;
      log(line);
    }
    if (!reported) return reported;
  }
  return Ok();
}

}  // namespace cordon::automation
