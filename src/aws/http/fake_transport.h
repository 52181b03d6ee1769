// A Transport for unit tests: answers with scripted responses or errors and records every request.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/http/http.h"

namespace cordon::aws {

// Each Send() records the request, then answers with the next scripted reply (Enqueue*, in FIFO
// order); when none is queued, with the handler; when there is no handler either, with an Error of
// kind kInternal naming the request, so a test that under-scripts fails loudly.
//
// Streaming behaves as CurlTransport's: when the request has a body_sink and the reply's status is
// 2xx, the body goes to the sink (in chunks of at most 64 KiB) and the returned body is empty; a sink
// that returns false makes Send() fail with kCancelled. Other statuses keep the body in the response.
//
// Thread-safe; the handler is called without the fake's lock held, so it may block or call back into
// the fake (for example to read requests()).
class FakeTransport : public Transport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest& request)>;

  FakeTransport() = default;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  void SetHandler(Handler handler);
  void Enqueue(HttpResponse response);
  // Shorthand for a response with this status and body (and no headers).
  void Enqueue(int status, std::string body);
  // A transport failure: no response at all.
  void EnqueueError(Error error);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // Copies of every request sent so far, in the order Send() was called.
  std::vector<HttpRequest> requests() const;
  size_t request_count() const;
  // The most recent request; requires request_count() > 0.
  HttpRequest last_request() const;
  // Scripted replies not yet used.
  size_t pending() const;

 private:
  mutable std::mutex mu_;
  Handler handler_;                          // guarded by mu_
  std::deque<Result<HttpResponse>> script_;  // guarded by mu_
  std::vector<HttpRequest> requests_;        // guarded by mu_
};

}  // namespace cordon::aws
