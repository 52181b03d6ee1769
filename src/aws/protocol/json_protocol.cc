// The json protocol (awsJson 1.0/1.1): POST / with X-Amz-Target and a JSON body.
#include "aws/protocol/json_codec.h"
#include "aws/protocol/protocol.h"

namespace cordon::aws::detail {

Result<HttpRequest> SerializeJson(const OperationRef& op, const Json& input, const Endpoint& endpoint) {
  const Json& meta = op.service->metadata();
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url + (*op.model)["http"].value("requestUri", std::string("/"));
  request.headers.Set("X-Amz-Target", meta.value("targetPrefix", "") + "." + op.name);
  request.headers.Set("Content-Type",
                      "application/x-amz-json-" + meta.value("jsonVersion", std::string("1.0")));
  Json body = Json::object();
  if (op.model->contains("input")) {
    const Json& ref = (*op.model)["input"];
    auto wire = JsonToWire(*op.service, ref, op.service->Resolve(ref), input, /*use_location_name=*/false);
    if (!wire) return tl::unexpected(wire.error());
    body = std::move(*wire);
  }
  request.body = body.dump();
  return request;
}

Result<Json> ParseJsonResponse(const OperationRef& op, const HttpResponse& response) {
  if (!op.model->contains("output")) return Json::object();
  Json wire = response.body.empty() ? Json::object() : Json::parse(response.body, nullptr, false);
  if (wire.is_discarded())
    return MakeError(ErrorKind::kParse, op.service->name() + " " + op.name + ": response is not JSON");
  const Json& shape = op.service->Resolve((*op.model)["output"]);
  return JsonFromWire(*op.service, shape, wire, /*use_location_name=*/false);
}

}  // namespace cordon::aws::detail
