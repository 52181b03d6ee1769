#include "aws/client.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aws/endpoints.h"
#include "aws/model/service_model.h"
#include "aws/model/validate.h"
#include "aws/paging/paginator.h"
#include "aws/paging/waiter.h"
#include "aws/protocol/customizations.h"
#include "aws/protocol/protocol.h"
#include "aws/retry/pacing.h"
#include "aws/sigv4/signer.h"
#include "base/activity.h"
#include "base/debug_log.h"
#include "base/hash.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

// The member of the output shape that streams (S3 GetObject Body), or empty.
std::string StreamingPayload(const OperationRef& op) {
  if (!op.model->contains("output")) return "";
  const Json& shape = op.service->Resolve((*op.model)["output"]);
  std::string payload = shape.value("payload", std::string());
  if (payload.empty()) return "";
  // botocore marks streaming on the member (GetObjectOutput.Body) or on the shape (StreamingBlob).
  const Json& ref = shape["members"][payload];
  const bool streaming = ref.value("streaming", false) || op.service->Resolve(ref).value("streaming", false);
  return streaming ? payload : "";
}

}  // namespace

Client::Client(ClientOptions options)
    : options_(std::move(options)), retry_(options_.retry), limiter_(options_.clock, options_.rate_limit) {}

void Client::SetAuditHook(std::function<void(const AuditRecord&)> hook) {
  std::lock_guard<std::mutex> lock(hook_mu_);
  hook_ = std::move(hook);
}

namespace {

// The --debug http line of one attempt: what went where and what came back, never a header or a
// body (they carry signatures and, from STS or IMDS, credentials).
void DebugExchange(const AuditRecord& call, int attempt, const HttpRequest& request,
                   const Result<HttpResponse>& response, std::chrono::steady_clock::duration took) {
  if (!DebugEnabled(DebugTopic::kHttp)) return;
  std::string line = call.service + " " + call.operation + " #" + std::to_string(attempt) + " " +
                     request.method + " " + RedactUrl(request.url) + " (" +
                     std::to_string(request.body.size()) + " bytes) -> ";
  if (!response) {
    line += std::string(ErrorKindName(response.error().kind)) + ": " + response.error().message;
  } else {
    line += std::to_string(response->status) + " (" + std::to_string(response->body.size()) + " bytes";
    for (const char* id : {"x-amzn-RequestId", "x-amz-request-id"})
      if (const std::string* rid = response->headers.Find(id)) line += ", request id " + *rid;
    line += ")";
  }
  line +=
      " in " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()) + " ms";
  DebugLine(DebugTopic::kHttp, line);
}

// The ids or name a waiter's input names (" (snap-1, snap-2)"), for the wait notice; "" for none.
std::string WaitSubject(const Json& input) {
  std::string out;
  if (!input.is_object()) return out;
  for (const auto& [key, value] : input.items()) {
    const Json list = value.is_array() ? value : Json::array({value});
    for (const Json& v : list)
      if (v.is_string() && out.size() < 120) out += (out.empty() ? "" : ", ") + v.get<std::string>();
  }
  return out.empty() ? out : " (" + out + ")";
}

// Asks the call's find_effect for what its last attempt, failed with `*error` (`reason`), did. The
// result to finish the call with when it found the effect (recorded in the audit) or could not look
// (`*error`, saying so: not knowing, a resend could do it twice); std::nullopt when nothing was found.
std::optional<Result<Json>> LookForEffect(const CallOptions& call_options, const std::string& reason,
                                          Error* error, AuditRecord* audit) {
  auto found = call_options.find_effect(*error);
  if (!found) {
    error->message +=
        " (not sent again: what it may have done could not be looked for: " + found.error().ToString() + ")";
    return Result<Json>(tl::unexpected(*error));
  }
  if (!*found) return std::nullopt;
  audit->effect_found_after = reason;
  return Result<Json>(std::move(**found));
}

}  // namespace

Result<Json> Client::Call(std::string_view service_name, std::string_view operation, Json input,
                          const CallOptions& call_options) {
  auto service = ServiceModel::Get(service_name);
  if (!service) return tl::unexpected(service.error());
  auto op_model = (*service)->Operation(operation);
  if (!op_model) return tl::unexpected(op_model.error());
  OperationRef op{*service, std::string(operation), *op_model};
  const ActivityScope waiting(std::string(service_name) + " " + std::string(operation));
  if (auto valid = ValidateInput(**service, **op_model, &input); !valid) {
    Error e = valid.error();
    e.message = std::string(service_name) + " " + std::string(operation) + ": " + e.message;
    return tl::unexpected(e);
  }
  const Pace pace = PaceFor(service_name, operation, input, options_.rate_limit, options_.max_rate);
  const Customization customization = CustomizeInput(op, &input);
  const std::string region = call_options.region.empty() ? options_.region : call_options.region;
  std::string override_url;
  if (options_.endpoint_for) {
    auto url = options_.endpoint_for(**service);
    if (!url) return tl::unexpected(url.error());
    override_url = *url;
  }
  auto endpoint = ResolveEndpoint(**service, region, override_url);
  if (!endpoint) return tl::unexpected(endpoint.error());
  auto unsigned_request = SerializeRequest(op, input, *endpoint);
  if (!unsigned_request) return tl::unexpected(unsigned_request.error());
  const bool is_s3 = (*service)->signing_name() == "s3";
  const std::string payload_hash = Sha256Hex(unsigned_request->body);
  const std::string streaming = StreamingPayload(op);

  AuditRecord audit;
  audit.service = std::string(service_name);
  audit.operation = std::string(operation);
  audit.region = endpoint->signing_region;
  auto started = std::chrono::steady_clock::now();
  auto finish = [&](Result<Json> result) -> Result<Json> {
    audit.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (result) {
      audit.outcome = "ok";
    } else {
      audit.outcome =
          result.error().code.empty() ? std::string(ErrorKindName(result.error().kind)) : result.error().code;
      if (audit.request_id.empty()) audit.request_id = result.error().request_id;
    }
    std::function<void(const AuditRecord&)> hook;
    {
      std::lock_guard<std::mutex> lock(hook_mu_);
      hook = hook_;
    }
    if (hook) hook(audit);
    return result;
  };

  const std::string limiter_key = endpoint->signing_region + "/" + pace.bucket;
  // One retry quota per service and region, as an SDK client has (retry_strategy.h).
  const std::string quota_key = endpoint->signing_region + "/" + audit.service;
  std::optional<Error> last_retried;
  for (int attempt = 1;; ++attempt) {
    audit.attempts = attempt;
    limiter_.Acquire(limiter_key, pace.limit);
    const TimePoint sent_at = options_.clock->Now();
    HttpRequest request = *unsigned_request;
    request.headers.Set("User-Agent", options_.user_agent);
    request.fresh_connection = static_cast<bool>(call_options.find_effect);
    if (call_options.anonymous) {
      // Host is all an unsigned request needs beyond what the transport adds.
    } else if (auto credentials = options_.credentials->Get(); !credentials) {
      return finish(tl::unexpected(credentials.error()));
    } else {
      sigv4::SigningParams params;
      params.region = endpoint->signing_region;
      params.service = endpoint->signing_name;
      params.time = options_.clock->Now();
      params.normalize_path = !is_s3;
      params.double_encode_path = !is_s3;
      params.sign_body = is_s3;
      params.payload_hash = payload_hash;
      if (auto signed_ok = sigv4::SignRequest(&request, *credentials, params); !signed_ok)
        return finish(tl::unexpected(signed_ok.error()));
    }

    // A streamed download goes to a partial file; it becomes the output file only on success.
    std::unique_ptr<std::ofstream> sink_file;
    std::string partial = call_options.output_file + ".part";
    if (!streaming.empty() && !call_options.output_file.empty()) {
      sink_file = std::make_unique<std::ofstream>(partial, std::ios::binary | std::ios::trunc);
      if (!*sink_file) return finish(MakeError(ErrorKind::kIo, "cannot write " + partial));
      request.body_sink = [&](std::string_view chunk) {
        sink_file->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        return static_cast<bool>(*sink_file);
      };
    }

    const auto sent = std::chrono::steady_clock::now();
    auto response = options_.transport->Send(request);
    DebugExchange(audit, attempt, request, response, std::chrono::steady_clock::now() - sent);
    Error error;
    if (!response) {
      error = response.error();
    } else {
      audit.http_status = response->status;
      if (const std::string* rid = response->headers.Find("x-amzn-RequestId")) audit.request_id = *rid;
      if (const std::string* rid = response->headers.Find("x-amz-request-id")) audit.request_id = *rid;
      if (sink_file) {
        sink_file->close();
        // The transport streams only 2xx bodies; an error document stays in response->body.
        if (response->status >= 300) std::filesystem::remove(partial);
      }
      if (response->status >= 200 && response->status < 300 && !IsErrorInDisguise(op, *response)) {
        auto parsed = ParseResponse(op, *response);
        if (!parsed) return finish(parsed);
        CustomizeOutput(op, *response, customization, &*parsed);
        if (call_options.payload_out && !streaming.empty() && !sink_file) {
          *call_options.payload_out = std::move(response->body);
          parsed->erase(streaming);
        }
        if (sink_file) {
          parsed->erase(streaming);
          std::error_code ec;
          std::filesystem::rename(partial, call_options.output_file, ec);
          if (ec)
            return finish(
                MakeError(ErrorKind::kIo, "cannot write " + call_options.output_file + ": " + ec.message()));
        }
        retry_.OnSuccess(last_retried ? &*last_retried : nullptr, quota_key);
        return finish(std::move(*parsed));
      }
      error = ParseErrorResponse(op, *response);
    }
    if (error.kind == ErrorKind::kThrottled) SlowDown(limiter_key, sent_at);
    const std::string reason = error.code.empty() ? std::string(ErrorKindName(error.kind)) : error.code;
    // A call whose attempt may have acted looks for its effect before it is sent again, and before
    // it gives up: a failure it reports could otherwise hide what the attempt made.
    const bool look = call_options.find_effect && MayHaveActed(error);
    const bool may_retry = retry_.ShouldRetry(error, attempt);
    if (!may_retry || !retry_.AcquireRetryToken(error, quota_key)) {
      if (look) {
        if (auto done = LookForEffect(call_options, reason, &error, &audit)) return finish(std::move(*done));
      }
      // A retry that the attempts allowed but the quota refused says so: the journal's aws.call and
      // the step's error tell a spent quota from a call that ran out of attempts.
      if (may_retry) error.message += " (not retried: the retry quota of " + quota_key + " is spent)";
      if (error.kind == ErrorKind::kNetwork && attempt > 1)
        error.message += " (gave up after " + std::to_string(attempt) + " attempts)";
      return finish(tl::unexpected(error));
    }
    const auto delay = retry_.DelayBeforeNextRetry(error, attempt);
    if (DebugEnabled(DebugTopic::kRetry))
      DebugLine(DebugTopic::kRetry, audit.service + " " + audit.operation + " attempt " +
                                        std::to_string(attempt) + " failed (" + reason +
                                        "): " + (look ? "looking for its effect, then " : "") +
                                        "retrying in " + std::to_string(delay.count()) + " ms");
    // The look comes after the delay: what the lost attempt made has had that long to become visible.
    options_.clock->SleepFor(delay);
    if (look) {
      if (auto done = LookForEffect(call_options, reason, &error, &audit)) {
        // Done by the attempt whose answer was lost: a success, which gives back the retry's cost.
        if (*done) retry_.OnSuccess(&error, quota_key);
        return finish(std::move(*done));
      }
    }
    audit.retried.push_back(reason);
    last_retried = error;
  }
}

}  // namespace cordon::aws

namespace cordon::aws {

void Client::SlowDown(const std::string& limiter_key, TimePoint sent_at) {
  if (!limiter_.OnThrottled(limiter_key, sent_at) || !DebugEnabled(DebugTopic::kRetry)) return;
  DebugLine(DebugTopic::kRetry, "throttled on " + limiter_key + ": pacing it at " +
                                    fmt::format("{:.2f}", limiter_.CurrentRate(limiter_key)) + " calls/s");
}

Result<Json> Client::CallAll(std::string_view service, std::string_view operation, Json input,
                             const CallOptions& options) {
  auto model = ServiceModel::Get(service);
  if (!model) return tl::unexpected(model.error());
  const Json* config = (*model)->Paginator(operation);
  if (!config) return Call(service, operation, std::move(input), options);
  Json full;
  // A hard stop far beyond any real listing, so a service that never stops paging cannot hang us.
  for (int page = 0; page < 100000; ++page) {
    auto out = Call(service, operation, input, options);
    if (!out) return out;
    MergePage(*config, &full, *out);
    auto next = NextPageInput(*config, input, *out);
    if (!next) return tl::unexpected(next.error());
    if (next->is_null()) return full.is_null() ? Json::object() : full;
    input = std::move(*next);
  }
  return MakeError(ErrorKind::kService, std::string(operation) + ": more than 100000 pages; stopped");
}

Status Client::Wait(std::string_view service, std::string_view waiter_name, Json input,
                    const CallOptions& options, int max_attempts) {
  auto model = ServiceModel::Get(service);
  if (!model) return tl::unexpected(model.error());
  const Json* config = (*model)->Waiter(waiter_name);
  if (!config) {
    std::string message = "unknown waiter '" + std::string(waiter_name) + "' for " + std::string(service);
    auto near = ClosestMatches(waiter_name, (*model)->WaiterNames(), 1);
    if (!near.empty()) message += "; did you mean '" + near[0] + "'?";
    return MakeError(ErrorKind::kInvalidArgument, message);
  }
  // The waiter, not each poll, is what a responder waits for: it is the oldest activity while it runs.
  const ActivityScope waiting(std::string(service) + " " + std::string(waiter_name) + WaitSubject(input));
  Waiter waiter(std::string(waiter_name), *config, options_.clock);
  if (max_attempts > 0) waiter.set_max_attempts(max_attempts);
  const std::string operation = (*config)["operation"].get<std::string>();
  return waiter.WaitWithStatus([&]() -> WaiterAttempt {
    auto out = Call(service, operation, input, options);
    int status = out ? 200 : out.error().http_status;
    return WaiterAttempt{std::move(out), status};
  });
}

}  // namespace cordon::aws
