#include "aws/paging/waiter.h"

#include <cmath>
#include <optional>

#include "aws/jmespath/jmespath.h"

namespace cordon::aws {
namespace {

// Python's ==: numbers by value with bools as 0 and 1, containers element by element, no other
// mixing of types.
bool PythonEquals(const Json& a, const Json& b) {
  auto is_numeric = [](const Json& v) { return v.is_number() || v.is_boolean(); };
  auto as_number = [](const Json& v) -> long double {
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_unsigned()) return static_cast<long double>(v.get<uint64_t>());
    if (v.is_number_integer()) return static_cast<long double>(v.get<int64_t>());
    return static_cast<long double>(v.get<double>());
  };
  if (is_numeric(a) && is_numeric(b)) return as_number(a) == as_number(b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!PythonEquals(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& item : a.items()) {
      auto it = b.find(item.key());
      if (it == b.end() || !PythonEquals(item.value(), *it)) return false;
    }
    return true;
  }
  return a == b;
}

// How Python's f'{value}' prints `expected` in botocore's explanations.
std::string PythonStr(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "None";
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// botocore's AcceptorConfig.explanation.
std::string Explain(const Json& acceptor) {
  std::string matcher = acceptor.value("matcher", "");
  std::string argument = acceptor.value("argument", "");
  std::string expected = PythonStr(acceptor.value("expected", Json()));
  if (matcher == "path") {
    return "For expression \"" + argument + "\" we matched expected path: \"" + expected + "\"";
  }
  if (matcher == "pathAll") {
    return "For expression \"" + argument + "\" all members matched expected path: \"" + expected + "\"";
  }
  if (matcher == "pathAny") {
    return "For expression \"" + argument + "\" we matched expected path: \"" + expected + "\" at least once";
  }
  if (matcher == "status") return "Matched expected HTTP status code: " + expected;
  if (matcher == "error") return "Matched expected service error code: " + expected;
  return "No explanation for unknown waiter type: \"" + matcher + "\"";
}

struct Match {
  WaiterState state = WaiterState::kRetry;
  const Json* acceptor = nullptr;  // the acceptor that matched, if any
  std::string explanation;
  std::optional<Error> evaluation_error;  // an argument failed to compile or evaluate
};

WaiterState ParseState(const Json& acceptor) {
  std::string state = acceptor.value("state", "");
  if (state == "success") return WaiterState::kSuccess;
  if (state == "failure") return WaiterState::kFailure;
  return WaiterState::kRetry;
}

// Whether `acceptor` matches. nullopt with *error set when its argument cannot be evaluated.
std::optional<bool> Matches(const Json& acceptor, const Result<Json>& outcome, int http_status,
                            Error* error) {
  const std::string matcher = acceptor.value("matcher", "");
  const Json expected = acceptor.value("expected", Json());
  if (matcher == "status") return PythonEquals(Json(http_status), expected);
  if (matcher == "error") {
    if (expected.is_boolean()) return expected.get<bool>() != outcome.has_value();
    // botocore: response.get("Error", {}).get("Code", "") == expected.
    return PythonEquals(Json(outcome ? std::string() : outcome.error().code), expected);
  }
  if (matcher != "path" && matcher != "pathAll" && matcher != "pathAny") {
    *error = Error{ErrorKind::kInvalidArgument, "unknown acceptor matcher \"" + matcher + "\"", {}, 0, {}};
    return std::nullopt;
  }
  if (!outcome) return false;  // path matchers never match an error response
  const Json* argument = acceptor.contains("argument") ? &acceptor["argument"] : nullptr;
  if (argument == nullptr || !argument->is_string()) {
    *error = Error{ErrorKind::kInvalidArgument, matcher + " acceptor without an argument", {}, 0, {}};
    return std::nullopt;
  }
  auto result = jmespath::Search(argument->get<std::string>(), *outcome);
  if (!result) {
    *error = result.error();
    return std::nullopt;
  }
  if (matcher == "path") return PythonEquals(*result, expected);
  // pathAll and pathAny need a non-empty list.
  if (!result->is_array() || result->empty()) return false;
  bool all = true, any = false;
  for (const Json& element : *result) {
    bool equal = PythonEquals(element, expected);
    all = all && equal;
    any = any || equal;
  }
  return matcher == "pathAll" ? all : any;
}

Match MatchAll(const Json& waiter, const Result<Json>& outcome, int http_status) {
  if (http_status == 0) http_status = outcome ? 200 : outcome.error().http_status;
  Match match;
  const Json empty = Json::array();
  const Json& acceptors = waiter.is_object() && waiter.contains("acceptors") ? waiter["acceptors"] : empty;
  if (acceptors.is_array()) {
    for (const Json& acceptor : acceptors) {
      if (!acceptor.is_object()) continue;
      Error error;
      std::optional<bool> matched = Matches(acceptor, outcome, http_status, &error);
      if (!matched) {
        match.state = WaiterState::kFailure;
        match.explanation = error.message;
        match.evaluation_error = std::move(error);
        return match;
      }
      if (*matched) {
        match.state = ParseState(acceptor);
        match.acceptor = &acceptor;
        match.explanation = Explain(acceptor);
        return match;
      }
    }
  }
  if (!outcome) {
    match.state = WaiterState::kFailure;
    const Error& e = outcome.error();
    match.explanation = "An error occurred (" + (e.code.empty() ? std::string("Unknown") : e.code) +
                        "): " + (e.message.empty() ? std::string("Unknown") : e.message);
  }
  return match;
}

}  // namespace

std::string_view WaiterStateName(WaiterState state) {
  switch (state) {
    case WaiterState::kSuccess:
      return "success";
    case WaiterState::kFailure:
      return "failure";
    case WaiterState::kRetry:
      return "retry";
  }
  return "retry";
}

Status ValidateWaiter(const Json& waiter) {
  auto invalid = [](std::string what) { return MakeError(ErrorKind::kInvalidArgument, std::move(what)); };
  if (!waiter.is_object()) return invalid("waiter config is not an object");
  if (!waiter.contains("delay") || !waiter["delay"].is_number() || waiter["delay"].get<double>() < 0) {
    return invalid("waiter config needs a non-negative \"delay\"");
  }
  if (!waiter.contains("maxAttempts") || !waiter["maxAttempts"].is_number_integer() ||
      waiter["maxAttempts"].get<int64_t>() < 1) {
    return invalid("waiter config needs a positive integer \"maxAttempts\"");
  }
  if (!waiter.contains("acceptors") || !waiter["acceptors"].is_array() || waiter["acceptors"].empty()) {
    return invalid("waiter config needs a list of \"acceptors\"");
  }
  for (const Json& acceptor : waiter["acceptors"]) {
    if (!acceptor.is_object()) return invalid("waiter acceptor is not an object");
    std::string state = acceptor.value("state", "");
    if (state != "success" && state != "failure" && state != "retry") {
      return invalid("waiter acceptor has unknown state \"" + state + "\"");
    }
    if (!acceptor.contains("expected")) return invalid("waiter acceptor has no \"expected\"");
    std::string matcher = acceptor.value("matcher", "");
    if (matcher == "path" || matcher == "pathAll" || matcher == "pathAny") {
      if (!acceptor.contains("argument") || !acceptor["argument"].is_string()) {
        return invalid("waiter acceptor \"" + matcher + "\" has no \"argument\"");
      }
      auto compiled = jmespath::Compile(acceptor["argument"].get<std::string>());
      if (!compiled) return tl::unexpected(compiled.error());
    } else if (matcher != "status" && matcher != "error") {
      return invalid("waiter acceptor has unknown matcher \"" + matcher + "\"");
    }
  }
  return Ok();
}

WaiterState MatchAcceptors(const Json& waiter, const Result<Json>& outcome, int http_status,
                           std::string* explanation) {
  Match match = MatchAll(waiter, outcome, http_status);
  if (explanation != nullptr) *explanation = std::move(match.explanation);
  return match.state;
}

Waiter::Waiter(std::string name, Json config, Clock* clock)
    : name_(std::move(name)), config_(std::move(config)), clock_(clock) {}

Status Waiter::Wait(const std::function<Result<Json>()>& operation) {
  return WaitWithStatus([&operation] { return WaiterAttempt{operation(), 0}; });
}

Status Waiter::WaitWithStatus(const std::function<WaiterAttempt()>& operation) {
  const std::string prefix = "waiter " + name_ + " failed";
  attempts_ = 0;
  if (Status valid = ValidateWaiter(config_); !valid) return WithContext(valid.error(), prefix);
  const int max_attempts =
      max_attempts_ >= 0 ? max_attempts_ : static_cast<int>(config_["maxAttempts"].get<int64_t>());
  const auto delay = delay_.count() >= 0 ? std::chrono::milliseconds(delay_)
                                         : std::chrono::milliseconds(static_cast<int64_t>(
                                               std::llround(config_["delay"].get<double>() * 1000)));
  std::string last_matched;  // the explanation of the last acceptor that matched, for the timeout message
  while (true) {
    WaiterAttempt attempt = operation();
    ++attempts_;
    if (!attempt.outcome) {
      const Error& error = attempt.outcome.error();
      // Not a response from the service (the network, our own parsing): botocore lets the exception
      // through instead of matching it.
      if (error.http_status == 0 && error.code.empty() && attempt.http_status == 0) {
        return WithContext(error, prefix);
      }
    }
    Match match = MatchAll(config_, attempt.outcome, attempt.http_status);
    if (match.evaluation_error) return WithContext(*match.evaluation_error, prefix);
    if (match.acceptor != nullptr) last_matched = match.explanation;
    if (match.state == WaiterState::kSuccess) return Ok();
    if (match.state == WaiterState::kFailure) {
      if (match.acceptor == nullptr) return WithContext(attempt.outcome.error(), prefix);
      return MakeError(ErrorKind::kConflict, prefix + ": terminal failure state: " + match.explanation);
    }
    if (attempts_ >= max_attempts) {
      std::string message = prefix + ": timed out after " + std::to_string(attempts_) + " attempt" +
                            (attempts_ == 1 ? "" : "s");
      if (!last_matched.empty()) message += " (last matched: " + last_matched + ")";
      return MakeError(ErrorKind::kTransient, message);
    }
    clock_->SleepFor(delay);
  }
}

}  // namespace cordon::aws
