// The query and ec2 protocols: form-encoded requests (Action=...&Version=...), XML responses.
// Serialization follows botocore's QuerySerializer and EC2Serializer: the ec2 variant flattens every
// list as Name.N and capitalizes locationName; the query variant wraps lists as Name.member.N and
// sends an empty list as "Name=".
#include <map>

#include "aws/protocol/protocol.h"
#include "aws/protocol/wire_values.h"
#include "aws/protocol/xml_reader.h"
#include "base/encoding.h"

namespace cordon::aws::detail {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

class QuerySerializer {
 public:
  QuerySerializer(const ServiceModel& service, bool ec2) : service_(service), ec2_(ec2) {}

  Status Serialize(const Json& ref, const Json& shape, const Json& value, const std::string& prefix,
                   Params* out) {
    const std::string type = shape.value("type", "string");
    if (type == "structure") {
      for (auto& [key, v] : value.items()) {
        const Json& member_ref = shape["members"][key];
        std::string name = SerializedName(member_ref, key);
        auto s = Serialize(member_ref, service_.Resolve(member_ref), v,
                           prefix.empty() ? name : prefix + "." + name, out);
        if (!s) return s;
      }
      return Ok();
    }
    if (type == "list") {
      const Json& member_ref = shape["member"];
      const Json& member_shape = service_.Resolve(member_ref);
      if (ec2_) {
        for (size_t i = 0; i < value.size(); ++i) {
          auto s = Serialize(member_ref, member_shape, value[i], prefix + "." + std::to_string(i + 1), out);
          if (!s) return s;
        }
        return Ok();
      }
      if (value.empty()) {
        out->emplace_back(prefix, "");
        return Ok();
      }
      std::string list_prefix;
      if (IsFlattened(ref, shape)) {
        list_prefix = prefix;
        if (member_ref.contains("locationName")) {
          size_t dot = prefix.rfind('.');
          std::string head = dot == std::string::npos ? "" : prefix.substr(0, dot + 1);
          list_prefix = head + member_ref["locationName"].get<std::string>();
        }
      } else {
        list_prefix = prefix + "." + member_ref.value("locationName", std::string("member"));
      }
      for (size_t i = 0; i < value.size(); ++i) {
        auto s =
            Serialize(member_ref, member_shape, value[i], list_prefix + "." + std::to_string(i + 1), out);
        if (!s) return s;
      }
      return Ok();
    }
    if (type == "map") {
      std::string full = IsFlattened(ref, shape) ? prefix : prefix + ".entry";
      std::string key_name = SerializedName(shape["key"], "key");
      std::string value_name = SerializedName(shape["value"], "value");
      size_t i = 1;
      for (auto& [k, v] : value.items()) {
        std::string entry = full + "." + std::to_string(i++) + ".";
        out->emplace_back(entry + key_name, k);
        auto s = Serialize(shape["value"], service_.Resolve(shape["value"]), v, entry + value_name, out);
        if (!s) return s;
      }
      return Ok();
    }
    auto text = ScalarToText(service_, shape, value, TimestampFormat(ref, shape, "iso8601"));
    if (!text) return tl::unexpected(text.error());
    out->emplace_back(prefix, *text);
    return Ok();
  }

 private:
  std::string SerializedName(const Json& ref, const std::string& fallback) const {
    if (ec2_) {
      if (ref.contains("queryName")) return ref["queryName"].get<std::string>();
      if (ref.contains("locationName")) {
        std::string name = ref["locationName"].get<std::string>();
        if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        return name;
      }
      return fallback;
    }
    return ref.value("locationName", fallback);
  }
  static bool IsFlattened(const Json& ref, const Json& shape) {
    return ref.value("flattened", false) || shape.value("flattened", false);
  }

  const ServiceModel& service_;
  bool ec2_;
};

}  // namespace

Result<HttpRequest> SerializeQuery(const OperationRef& op, const Json& input, const Endpoint& endpoint,
                                   bool ec2) {
  Params params = {{"Action", op.name}, {"Version", op.service->api_version()}};
  if (op.model->contains("input")) {
    const Json& ref = (*op.model)["input"];
    auto s = QuerySerializer(*op.service, ec2).Serialize(ref, op.service->Resolve(ref), input, "", &params);
    if (!s) return tl::unexpected(s.error());
  }
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url + (*op.model)["http"].value("requestUri", std::string("/"));
  for (const auto& [k, v] : params) {
    if (!request.body.empty()) request.body += '&';
    request.body += FormEncode(k) + "=" + FormEncode(v);
  }
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return request;
}

Result<Json> ParseQueryResponse(const OperationRef& op, const HttpResponse& response, bool ec2) {
  if (!op.model->contains("output")) return Json::object();
  pugi::xml_document doc;
  if (!doc.load_buffer(response.body.data(), response.body.size()))
    return MakeError(ErrorKind::kParse, op.service->name() + " " + op.name + ": response is not XML");
  const Json& ref = (*op.model)["output"];
  const Json& shape = op.service->Resolve(ref);
  pugi::xml_node start = doc.document_element();
  if (!ec2 && ref.contains("resultWrapper")) {
    start = ChildNamed(start, ref["resultWrapper"].get<std::string>());
    if (!start) return Json::object();  // botocore: an absent wrapper parses as an empty result
  }
  Json out = ReadXmlShape(*op.service, shape, start);
  if (op.service->name() == "iam") DecodePolicyDocuments(*op.service, shape, &out);
  return out;
}

}  // namespace cordon::aws::detail
