#include "aws/protocol/protocol.h"

#include <pugixml.hpp>

#include "aws/errors/error_table.h"
#include "aws/protocol/xml_reader.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

enum class Wire { kEc2, kQuery, kJson, kRestJson, kRestXml, kUnknown };

Wire WireOf(const OperationRef& op) {
  const std::string p = op.service->protocol();
  if (p == "ec2") return Wire::kEc2;
  if (p == "query") return Wire::kQuery;
  if (p == "json") return Wire::kJson;
  if (p == "rest-json") return Wire::kRestJson;
  if (p == "rest-xml") return Wire::kRestXml;
  return Wire::kUnknown;
}

std::string FirstText(const pugi::xml_node& root, const char* name) {
  // Error documents differ by protocol (<Response><Errors><Error>, <ErrorResponse><Error>, <Error>);
  // searching by element name covers all of them.
  pugi::xml_node found =
      root.find_node([&](const pugi::xml_node& n) { return std::string_view(n.name()) == name; });
  return found ? found.child_value() : "";
}

std::string StatusText(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "HTTP error";
  }
}

}  // namespace

Result<HttpRequest> SerializeRequest(const OperationRef& op, const Json& input, const Endpoint& endpoint) {
  switch (WireOf(op)) {
    case Wire::kEc2:
      return detail::SerializeQuery(op, input, endpoint, /*ec2=*/true);
    case Wire::kQuery:
      return detail::SerializeQuery(op, input, endpoint, /*ec2=*/false);
    case Wire::kJson:
      return detail::SerializeJson(op, input, endpoint);
    case Wire::kRestJson:
      return detail::SerializeRestJson(op, input, endpoint);
    case Wire::kRestXml:
      return detail::SerializeRestXml(op, input, endpoint);
    case Wire::kUnknown:
      break;
  }
  return MakeError(ErrorKind::kInternal, "unsupported protocol " + op.service->protocol());
}

Result<Json> ParseResponse(const OperationRef& op, const HttpResponse& response) {
  switch (WireOf(op)) {
    case Wire::kEc2:
      return detail::ParseQueryResponse(op, response, /*ec2=*/true);
    case Wire::kQuery:
      return detail::ParseQueryResponse(op, response, /*ec2=*/false);
    case Wire::kJson:
      return detail::ParseJsonResponse(op, response);
    case Wire::kRestJson:
      return detail::ParseRestJsonResponse(op, response);
    case Wire::kRestXml:
      return detail::ParseRestXmlResponse(op, response);
    case Wire::kUnknown:
      break;
  }
  return MakeError(ErrorKind::kInternal, "unsupported protocol " + op.service->protocol());
}

Error ParseErrorResponse(const OperationRef& op, const HttpResponse& response) {
  Error error;
  error.http_status = response.status;
  for (const char* h : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"})
    if (const std::string* v = response.headers.Find(h)) error.request_id = *v;
  std::string_view body = Trim(response.body);
  if (!body.empty() && body.front() == '{') {
    Json doc = Json::parse(body, nullptr, false);
    if (doc.is_object()) {
      std::string type = doc.value("__type", doc.value("code", doc.value("Code", std::string())));
      error.code = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
      error.message = doc.value("message", doc.value("Message", std::string()));
    }
    if (const std::string* t = response.headers.Find("x-amzn-ErrorType")) {
      if (error.code.empty()) error.code = t->substr(0, t->find(':'));
    }
    // awsQueryCompatible services (SQS) carry the classic error code in this header.
    if (const std::string* q = response.headers.Find("x-amzn-query-error"))
      error.code = q->substr(0, q->find(';'));
  } else if (!body.empty() && body.front() == '<' && body.substr(0, 14) != "<!DOCTYPE html" &&
             ToLower(body.substr(0, 5)) != "<html") {
    pugi::xml_document doc;
    if (doc.load_buffer(body.data(), body.size())) {
      error.code = FirstText(doc, "Code");
      error.message = FirstText(doc, "Message");
      std::string rid = FirstText(doc, "RequestId");
      if (rid.empty()) rid = FirstText(doc, "RequestID");
      if (!rid.empty()) error.request_id = rid;
    }
  }
  if (error.code.empty()) {
    // HTML from a load balancer, an empty HEAD response, or garbage: say what we know.
    error.code = response.status >= 500 ? "ServiceUnavailable" : std::to_string(response.status);
    error.message = StatusText(response.status) + " from " + op.service->name() + " " + op.name +
                    (body.empty() ? " (empty body)" : " (the body was not an AWS error document)");
  }
  error.kind = ClassifyAwsError(error.code, response.status);
  return error;
}

bool IsErrorInDisguise(const OperationRef& op, const HttpResponse& response) {
  // S3 can answer 200 and then an <Error> document for these (the copy or merge failed mid-way);
  // only these, since any other body could be object data that merely looks like one.
  if (WireOf(op) != Wire::kRestXml || response.status != 200) return false;
  if (op.name != "CompleteMultipartUpload" && op.name != "CopyObject" && op.name != "UploadPartCopy")
    return false;
  std::string_view body = Trim(response.body);
  if (StartsWith(body, "<?xml")) body = Trim(body.substr(std::min(body.size(), body.find("?>") + 2)));
  return StartsWith(body, "<Error>");
}

}  // namespace cordon::aws
