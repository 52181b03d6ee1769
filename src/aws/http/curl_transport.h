// The Transport that sends requests over the network, through libcurl.
#pragma once

#include <memory>

#include "aws/http/http.h"

namespace cordon::aws {

// Sends HTTP/1.1 requests with libcurl, reusing connections.
//
// Connections: a pool of curl easy handles, each keeping its own live connections, is shared by all
// callers; a Send() takes a handle (the most recently returned one, so sequential calls reuse the
// same kept-alive connection) and gives it back when done. DNS results and TLS sessions are shared
// between handles. Safe to call Send() from any number of threads at once; each concurrent call uses
// its own handle and connection.
//
// Requests go out exactly as given: the method, the headers (curl adds only Host and Content-Length
// when they are missing; never Accept, Content-Type, Expect or User-Agent) and the body, byte for
// byte, with no "Expect: 100-continue" round trip for large bodies. Redirects are not followed and
// response bodies are not decompressed. TLS peer and host verification are always on (`verify_tls`
// is not consulted); `ca_bundle` replaces the system's CA store. Proxies come from the environment
// as libcurl reads them (http_proxy, HTTPS_PROXY, NO_PROXY, ...).
//
// Responses: headers are kept in arrival order with their names' case as received; only the final
// response's headers are kept (not those of a 100 Continue or a proxy's CONNECT). When the request
// has a body_sink and the status is 2xx, the body is streamed to it and HttpResponse::body stays
// empty; other statuses keep their (error) body in HttpResponse::body so it can be parsed.
//
// Errors (no complete response): kNetwork for connection, DNS, TLS, reset and timeout failures, with
// a message naming the host and libcurl's reason, e.g. "cannot connect to 127.0.0.1:1: Connection
// refused" or "request to example.com:443 timed out: ..."; kCancelled when the body_sink returned
// false; kInvalidArgument for a URL libcurl cannot use. Messages never include header values.
//
// The timeouts are HttpOptions::connect_timeout and request_timeout (the whole exchange, body
// included). Destroying the transport while a Send() is running is a bug.
class CurlTransport : public Transport {
 public:
  explicit CurlTransport(HttpOptions options = {});
  ~CurlTransport() override;

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace cordon::aws
