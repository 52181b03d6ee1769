// The five wire protocols of AWS (ec2, query, json, rest-json, rest-xml): one serializer and one
// parser each, driven by the botocore model, so any embedded operation can be called.
#pragma once

#include <string>

#include "aws/http/http.h"
#include "aws/model/service_model.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::aws {

// Where a request goes and how it is signed.
struct Endpoint {
  std::string url;  // scheme://host[:port][/base-path], no trailing slash
  std::string signing_region;
  std::string signing_name;
  bool overridden = false;  // set by --endpoint-url / AWS_ENDPOINT_URL*: S3 then uses path-style addressing
};

struct OperationRef {
  const ServiceModel* service = nullptr;
  std::string name;
  const Json* model = nullptr;  // the operation's entry in the service model
};

// Builds the unsigned HTTP request for `input` (already validated, shaped as boto3 takes it: member
// names of the model, timestamps as ISO 8601 strings or epoch numbers, blobs as base64 strings or
// "fileb://PATH").
Result<HttpRequest> SerializeRequest(const OperationRef& op, const Json& input, const Endpoint& endpoint);

// Parses a 2xx response into the output shape as boto3 returns it (minus ResponseMetadata):
// timestamps as "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" strings, blobs as base64, IAM policy documents
// URL-decoded and parsed into objects as boto3 does. A streaming payload (S3 GetObject Body) is
// left out when the request streamed it to a sink.
Result<Json> ParseResponse(const OperationRef& op, const HttpResponse& response);

// Turns a non-2xx response into an Error: AWS code, message, status, request id, and the kind from
// the error table. An HTML or empty body gives a clear generic message with the status.
Error ParseErrorResponse(const OperationRef& op, const HttpResponse& response);

// Some services answer 200 with an error document (S3 CompleteMultipartUpload, CopyObject).
bool IsErrorInDisguise(const OperationRef& op, const HttpResponse& response);

namespace detail {
// Per-protocol entry points, selected by the model's metadata.protocol.
Result<HttpRequest> SerializeQuery(const OperationRef& op, const Json& input, const Endpoint& endpoint,
                                   bool ec2);
Result<Json> ParseQueryResponse(const OperationRef& op, const HttpResponse& response, bool ec2);
Result<HttpRequest> SerializeJson(const OperationRef& op, const Json& input, const Endpoint& endpoint);
Result<Json> ParseJsonResponse(const OperationRef& op, const HttpResponse& response);
Result<HttpRequest> SerializeRestJson(const OperationRef& op, const Json& input, const Endpoint& endpoint);
Result<Json> ParseRestJsonResponse(const OperationRef& op, const HttpResponse& response);
Result<HttpRequest> SerializeRestXml(const OperationRef& op, const Json& input, const Endpoint& endpoint);
Result<Json> ParseRestXmlResponse(const OperationRef& op, const HttpResponse& response);
}  // namespace detail

}  // namespace cordon::aws
