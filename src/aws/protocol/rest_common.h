// The parts of the rest-json and rest-xml protocols that are the same: the URI template, query
// string and headers on the way out; status code and headers on the way back.
#pragma once

#include <string>

#include "aws/http/http.h"
#include "aws/protocol/protocol.h"

namespace cordon::aws::detail {

// Fills method, URL (labels, query string) and headers from the input's located members.
// `default_body_timestamp` is unused here; headers default to rfc822, query strings to iso8601.
Status SerializeRestLocations(const OperationRef& op, const Json& input, const Endpoint& endpoint,
                              HttpRequest* request);

// Copies header, headers-prefix and statusCode members of the output shape into `out`.
void ParseRestLocations(const OperationRef& op, const HttpResponse& response, Json* out);

// The output shape's payload member name, or empty.
std::string PayloadMember(const Json& shape);

}  // namespace cordon::aws::detail
