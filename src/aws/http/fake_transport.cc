// A Transport for unit tests: answers with scripted responses or errors and records every request.
#include "aws/http/fake_transport.h"

#include <cassert>
#include <utility>

namespace cordon::aws {

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

void FakeTransport::Enqueue(HttpResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.emplace_back(std::move(response));
}

void FakeTransport::Enqueue(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  Enqueue(std::move(response));
}

void FakeTransport::EnqueueError(Error error) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.emplace_back(tl::unexpected<Error>(std::move(error)));
}

Result<HttpResponse> FakeTransport::Send(const HttpRequest& request) {
  Handler handler;
  Result<HttpResponse> reply = MakeError(ErrorKind::kInternal, "");
  bool scripted = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (!script_.empty()) {
      reply = std::move(script_.front());
      script_.pop_front();
      scripted = true;
    } else {
      handler = handler_;
    }
  }
  if (!scripted) {
    if (!handler) {
      return MakeError(ErrorKind::kInternal,
                       "FakeTransport: no scripted response for " + request.method + " " + request.url);
    }
    reply = handler(request);
  }
  if (!reply || !request.body_sink || reply->status < 200 || reply->status > 299) return reply;

  constexpr size_t kChunk = 64 * 1024;
  std::string_view body = reply->body;
  for (size_t at = 0; at < body.size(); at += kChunk) {
    if (!request.body_sink(body.substr(at, kChunk))) {
      return MakeError(ErrorKind::kCancelled,
                       "the response body sink stopped the transfer from " + request.url);
    }
  }
  reply->body.clear();
  return reply;
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t FakeTransport::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

HttpRequest FakeTransport::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  assert(!requests_.empty() && "last_request() before any Send()");
  return requests_.back();
}

size_t FakeTransport::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return script_.size();
}

}  // namespace cordon::aws
