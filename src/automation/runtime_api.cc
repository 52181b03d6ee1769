#include "automation/runtime_api.h"

#include <charconv>

namespace cordon::automation {
namespace {

// The id goes into the next request's path, so it must need no escaping (Lambda's are UUIDs).
bool SafeRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.' || c == ':'))
      return false;
  return true;
}

std::string Header(const aws::HttpResponse& r, const std::string& name) {
  const std::string* v = r.headers.Find(name);
  return v != nullptr ? *v : "";
}

Error Unexpected(const std::string& what, const aws::HttpResponse& r) {
  return Error{ErrorKind::kNetwork,
               "the Lambda Runtime API answered " + what + " with HTTP " + std::to_string(r.status),
               {},
               r.status,
               {}};
}

}  // namespace

Json ErrorBody(const LambdaError& error) {
  return Json{{"errorMessage", error.message}, {"errorType", error.type}, {"stackTrace", Json::array()}};
}

RuntimeApi::RuntimeApi(aws::Transport* transport, std::string host_port)
    : transport_(transport), base_("http://" + host_port + "/2018-06-01/runtime") {}

Result<Invocation> RuntimeApi::Next() {
  aws::HttpRequest request;
  request.url = base_ + "/invocation/next";
  auto response = transport_->Send(request);
  if (!response) return WithContext(response.error(), "the Lambda Runtime API (next invocation)");
  if (response->status != 200) return MakeError(Unexpected("the next invocation", *response));
  Invocation inv;
  inv.request_id = Header(*response, "Lambda-Runtime-Aws-Request-Id");
  if (!SafeRequestId(inv.request_id))
    return MakeError(ErrorKind::kInvalidArgument,
                     "the next invocation has no usable Lambda-Runtime-Aws-Request-Id header");
  std::string deadline = Header(*response, "Lambda-Runtime-Deadline-Ms");
  auto [end, ec] = std::from_chars(deadline.data(), deadline.data() + deadline.size(), inv.deadline_ms);
  if (deadline.empty() || ec != std::errc() || end != deadline.data() + deadline.size())
    return MakeError(ErrorKind::kInvalidArgument,
                     "invocation " + inv.request_id + " has no numeric Lambda-Runtime-Deadline-Ms header");
  inv.function_arn = Header(*response, "Lambda-Runtime-Invoked-Function-Arn");
  inv.trace_id = Header(*response, "Lambda-Runtime-Trace-Id");
  inv.body = std::move(response->body);
  return inv;
}

Status RuntimeApi::Post(const std::string& path, const std::string& body, const std::string& error_type) {
  aws::HttpRequest request;
  request.method = "POST";
  request.url = base_ + path;
  request.body = body;
  request.headers.Set("Content-Type", "application/json");
  if (!error_type.empty()) request.headers.Set("Lambda-Runtime-Function-Error-Type", error_type);
  auto response = transport_->Send(request);
  if (!response) return WithContext(response.error(), "the Lambda Runtime API (" + path + ")");
  // 202 Accepted; 400 and 413 say the report was refused (unknown id, body too large).
  if (response->status != 202) return MakeError(Unexpected(path, *response));
  return Ok();
}

Status RuntimeApi::Respond(const std::string& request_id, const std::string& body) {
  return Post("/invocation/" + request_id + "/response", body, "");
}

Status RuntimeApi::Fail(const std::string& request_id, const LambdaError& error) {
  return Post("/invocation/" + request_id + "/error",
              ErrorBody(error).dump(-1, ' ', false, Json::error_handler_t::replace), error.type);
}

Status RuntimeApi::InitError(const LambdaError& error) {
  return Post("/init/error", ErrorBody(error).dump(-1, ' ', false, Json::error_handler_t::replace),
              error.type);
}

}  // namespace cordon::automation
