// Errors as values: Error, Result<T> (value or Error) and Status (ok or Error).
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace cordon {

// What kind of failure an Error is. The retry policy and the exit codes key off this.
enum class ErrorKind {
  kInvalidArgument,  // the user's input is wrong; retrying cannot help
  kNotFound,         // the thing asked for does not exist
  kAccessDenied,     // credentials lack a permission
  kThrottled,        // the service asked us to slow down: retryable with backoff
  kTransient,        // 5xx, timeouts: retryable
  kNetwork,          // connection refused, DNS, TLS: retryable a bounded number of times
  kService,          // any other error the service returned (a 4xx with a code)
  kParse,            // a response or file we could not parse
  kIo,               // local file system
  kConflict,         // state drifted from what we expected, or someone else holds it
  kAmbiguous,        // a target matched several things, or is not proven to be the only match
  kCancelled,        // interrupted on purpose (Ctrl-C, a test hook)
  kInternal,         // a bug in cordon
};

std::string_view ErrorKindName(ErrorKind kind);

// An error with everything a responder needs to act on it. For AWS errors, `code`, `http_status` and
// `request_id` come from the response; `message` is always human readable and never holds secrets.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::string code;        // AWS error code, e.g. "UnauthorizedOperation"; empty when not from AWS
  int http_status = 0;     // 0 when no response was received
  std::string request_id;  // AWS request id, when the service returned one

  bool IsRetryable() const {
    return kind == ErrorKind::kThrottled || kind == ErrorKind::kTransient || kind == ErrorKind::kNetwork;
  }
  // "AccessDenied (HTTP 403, request 1234): User ... is not authorized" or just the message.
  std::string ToString() const;
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> MakeError(ErrorKind kind, std::string message) {
  return tl::unexpected<Error>(Error{kind, std::move(message), {}, 0, {}});
}
inline tl::unexpected<Error> MakeError(Error error) { return tl::unexpected<Error>(std::move(error)); }
inline Status Ok() { return {}; }

// Adds context in front of an error's message: "reading ~/.aws/config: <message>".
inline tl::unexpected<Error> WithContext(Error error, std::string_view context) {
  error.message = std::string(context) + ": " + error.message;
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace cordon
