// HTTP requests and responses as the AWS layer sees them, and the Transport seam that sends them.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace cordon::aws {

// Header names are compared case-insensitively; stored as given.
struct HttpHeaders {
  std::vector<std::pair<std::string, std::string>> entries;

  void Set(const std::string& name, std::string value);  // replaces any header of that name
  void Add(std::string name, std::string value);         // keeps existing ones
  const std::string* Find(const std::string& name) const;
  void Remove(const std::string& name);
};

struct HttpRequest {
  std::string method = "GET";
  // Absolute URL: scheme://host[:port]/path?query. The path and query are already percent-encoded
  // exactly as they will be sent (and signed).
  std::string url;
  HttpHeaders headers;
  std::string body;
  // When set, the response body is streamed to this sink instead of being kept in HttpResponse::body
  // (large S3 downloads). Returning false aborts the transfer.
  std::function<bool(std::string_view chunk)> body_sink;
  // Sent on a connection of its own, never a reused one: libcurl re-sends a request, unseen by its
  // caller, when a reused connection closes before any answer, and a request that must go out once
  // (a create without a client token) must not be sent again behind the caller's back.
  bool fresh_connection = false;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{120000};
  // Give up on a response that sends nothing for this long (the AWS CLI's --cli-read-timeout, 60 s):
  // an endpoint that accepts and never answers fails in seconds, a large download still completes.
  std::chrono::milliseconds read_timeout{60000};
  bool verify_tls = true;  // never turned off by cordon itself; only a user's explicit choice could
  // A PEM file of CA certificates to trust instead of the system's (AWS_CA_BUNDLE, --ca-bundle);
  // empty for the system's store.
  std::string ca_bundle;
  // The most a body kept in memory (HttpResponse::body) may hold: an endpoint, or something posing as
  // one, that sends without end fails the request instead of exhausting memory. Far above any API page
  // and any CloudTrail or flow-log object; bodies streamed to a body_sink (downloads to a file) have no cap.
  size_t max_response_body = size_t{512} << 20;
};

// Sends one HTTP request. A transport error (no response at all) is an Error of kind kNetwork;
// any HTTP status, including 5xx, is a successful Send with that status.
// Implementations must be safe to call from several threads at once.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace cordon::aws
