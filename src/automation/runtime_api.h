// The client side of the AWS Lambda Runtime API, which a custom runtime (provided.al2023) uses to
// take invocations and give back their results:
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
//
//   GET  /2018-06-01/runtime/invocation/next            the next event (blocks until there is one)
//   POST /2018-06-01/runtime/invocation/{id}/response   its result
//   POST /2018-06-01/runtime/invocation/{id}/error      its failure: {"errorMessage", "errorType",
//   "stackTrace"} POST /2018-06-01/runtime/init/error                 the runtime could not start (same body)
//
// The host and port come from AWS_LAMBDA_RUNTIME_API; the API is plain HTTP on the sandbox's loopback.
#pragma once

#include <cstdint>
#include <string>

#include "aws/http/http.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::automation {

struct Invocation {
  std::string request_id;   // Lambda-Runtime-Aws-Request-Id
  int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms: when Lambda ends it, Unix epoch milliseconds
  std::string function_arn, trace_id;  // Lambda-Runtime-Invoked-Function-Arn, Lambda-Runtime-Trace-Id
  std::string body;                    // the event, as the invoker sent it
};

// What /error and /init/error receive. `type` is a short dotted name ("Cordon.InvalidEvent"), also
// sent as the Lambda-Runtime-Function-Error-Type header.
struct LambdaError {
  std::string type, message;
};

// {"errorMessage": message, "errorType": type, "stackTrace": []}. Pure.
Json ErrorBody(const LambdaError& error);

class RuntimeApi {
 public:
  // `transport` must outlive the api and must not time out a response that takes long to start:
  // Next() waits, by design, until an invocation arrives. `host_port` is AWS_LAMBDA_RUNTIME_API.
  RuntimeApi(aws::Transport* transport, std::string host_port);

  // kNetwork when the API cannot be reached or answers other than 200; kInvalidArgument when the
  // answer lacks a request id safe to put in a path (letters, digits, '-', '_', '.', ':'), or a
  // deadline that is a number.
  [[nodiscard]] Result<Invocation> Next();

  // Each fails (kNetwork) unless the API answers 202, as it does when it accepted the report.
  [[nodiscard]] Status Respond(const std::string& request_id, const std::string& body);
  [[nodiscard]] Status Fail(const std::string& request_id, const LambdaError& error);
  [[nodiscard]] Status InitError(const LambdaError& error);

 private:
  Status Post(const std::string& path, const std::string& body, const std::string& error_type);

  aws::Transport* transport_;
  std::string base_;  // http://HOST:PORT/2018-06-01/runtime
};

}  // namespace cordon::automation
