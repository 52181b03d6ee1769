// The rest-json protocol: REST URIs and headers, a JSON body named by locationName.
#include "aws/protocol/json_codec.h"
#include "aws/protocol/protocol.h"
#include "aws/protocol/rest_common.h"
#include "aws/protocol/wire_values.h"
#include "base/encoding.h"

namespace cordon::aws::detail {

Result<HttpRequest> SerializeRestJson(const OperationRef& op, const Json& input, const Endpoint& endpoint) {
  HttpRequest request;
  auto s = SerializeRestLocations(op, input, endpoint, &request);
  if (!s) return tl::unexpected(s.error());
  if (!op.model->contains("input")) return request;
  const Json& ref = (*op.model)["input"];
  const Json& shape = op.service->Resolve(ref);
  std::string payload = PayloadMember(shape);
  if (!payload.empty()) {
    if (!input.contains(payload)) return request;
    const Json& member_ref = shape["members"][payload];
    const Json& member_shape = op.service->Resolve(member_ref);
    std::string type = member_shape.value("type", "");
    if (type == "blob" || type == "string") {
      if (type == "blob") {
        auto bytes = BlobToBytes(input[payload]);
        if (!bytes) return tl::unexpected(bytes.error());
        request.body = std::move(*bytes);
      } else {
        request.body = input[payload].get<std::string>();
      }
      return request;
    }
    auto wire = JsonToWire(*op.service, member_ref, member_shape, input[payload], true);
    if (!wire) return tl::unexpected(wire.error());
    request.body = wire->dump();
  } else {
    auto wire = JsonToWire(*op.service, ref, shape, input, true);
    if (!wire) return tl::unexpected(wire.error());
    // Like botocore, send a body only when there is something in it (or the method expects one).
    if (!wire->empty() || request.method == "POST" || request.method == "PUT") request.body = wire->dump();
  }
  request.headers.Set("Content-Type", "application/json");
  return request;
}

Result<Json> ParseRestJsonResponse(const OperationRef& op, const HttpResponse& response) {
  Json out = Json::object();
  if (!op.model->contains("output")) return out;
  const Json& shape = op.service->Resolve((*op.model)["output"]);
  std::string payload = PayloadMember(shape);
  if (!payload.empty()) {
    const Json& member_shape = op.service->Resolve(shape["members"][payload]);
    std::string type = member_shape.value("type", "");
    if (type == "blob") {
      out[payload] = Base64Encode(response.body);
    } else if (type == "string") {
      out[payload] = response.body;
    } else if (!response.body.empty()) {
      Json wire = Json::parse(response.body, nullptr, false);
      if (wire.is_discarded()) return MakeError(ErrorKind::kParse, op.name + ": response is not JSON");
      out[payload] = JsonFromWire(*op.service, member_shape, wire, true);
    }
  } else if (!response.body.empty()) {
    Json wire = Json::parse(response.body, nullptr, false);
    if (wire.is_discarded()) return MakeError(ErrorKind::kParse, op.name + ": response is not JSON");
    out = JsonFromWire(*op.service, shape, wire, true);
  }
  ParseRestLocations(op, response, &out);
  return out;
}

}  // namespace cordon::aws::detail
