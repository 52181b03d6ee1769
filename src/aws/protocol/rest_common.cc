#include "aws/protocol/rest_common.h"

#include "aws/protocol/wire_values.h"
#include "base/encoding.h"
#include "base/strings.h"

namespace cordon::aws::detail {
namespace {

Result<std::string> HeaderText(const ServiceModel& service, const Json& ref, const Json& shape,
                               const Json& value) {
  const std::string type = shape.value("type", "string");
  if (type == "list") {
    std::string out;
    for (const auto& v : value) {
      auto t = ScalarToText(service, service.Resolve(shape["member"]), v, "rfc822");
      if (!t) return t;
      out += (out.empty() ? "" : ",") + *t;
    }
    return out;
  }
  if (type == "string" && shape.value("jsonvalue", false)) return Base64Encode(value.dump());
  return ScalarToText(service, shape, value, TimestampFormat(ref, shape, "rfc822"));
}

}  // namespace

std::string PayloadMember(const Json& shape) { return shape.value("payload", std::string()); }

Status SerializeRestLocations(const OperationRef& op, const Json& input, const Endpoint& endpoint,
                              HttpRequest* request) {
  const Json& http = (*op.model)["http"];
  request->method = http.value("method", std::string("POST"));
  std::string uri = http.value("requestUri", std::string("/"));
  std::string path = uri, static_query;
  if (size_t q = uri.find('?'); q != std::string::npos) {
    path = uri.substr(0, q);
    static_query = uri.substr(q + 1);
  }
  std::vector<std::pair<std::string, std::string>> query;  // percent-encoded already
  if (op.model->contains("input")) {
    const Json& shape = op.service->Resolve((*op.model)["input"]);
    for (auto& [name, value] : input.items()) {
      const Json& ref = shape["members"][name];
      const std::string location = ref.value("location", "");
      const std::string wire_name = ref.value("locationName", name);
      const Json& member_shape = op.service->Resolve(ref);
      if (location == "uri") {
        auto text = ScalarToText(*op.service, member_shape, value, "iso8601");
        if (!text) return tl::unexpected(text.error());
        std::string greedy = "{" + wire_name + "+}", plain = "{" + wire_name + "}";
        if (size_t at = path.find(greedy); at != std::string::npos) {
          path.replace(at, greedy.size(), UriEncode(*text, /*keep_slash=*/true));
        } else if (size_t at2 = path.find(plain); at2 != std::string::npos) {
          path.replace(at2, plain.size(), UriEncode(*text));
        }
      } else if (location == "querystring") {
        const std::string type = member_shape.value("type", "string");
        if (type == "list") {
          for (const auto& v : value) {
            auto text = ScalarToText(*op.service, op.service->Resolve(member_shape["member"]), v, "iso8601");
            if (!text) return tl::unexpected(text.error());
            query.emplace_back(UriEncode(wire_name), UriEncode(*text));
          }
        } else if (type == "map") {
          for (auto& [k, v] : value.items()) {
            if (v.is_array()) {
              for (const auto& item : v) query.emplace_back(UriEncode(k), UriEncode(item.get<std::string>()));
            } else {
              query.emplace_back(UriEncode(k), UriEncode(v.get<std::string>()));
            }
          }
        } else {
          auto text =
              ScalarToText(*op.service, member_shape, value, TimestampFormat(ref, member_shape, "iso8601"));
          if (!text) return tl::unexpected(text.error());
          query.emplace_back(UriEncode(wire_name), UriEncode(*text));
        }
      } else if (location == "header") {
        auto text = HeaderText(*op.service, ref, member_shape, value);
        if (!text) return tl::unexpected(text.error());
        request->headers.Set(wire_name, *text);
      } else if (location == "headers") {
        for (auto& [k, v] : value.items()) request->headers.Set(wire_name + k, v.get<std::string>());
      }
    }
  }
  // The model's own query part ("?uploads", "?tagging") is kept as written, then the members follow.
  request->url = endpoint.url + path;
  std::string q = static_query;
  for (const auto& [k, v] : query) q += (q.empty() ? "" : "&") + k + "=" + v;
  if (!q.empty()) request->url += "?" + q;
  return Ok();
}

void ParseRestLocations(const OperationRef& op, const HttpResponse& response, Json* out) {
  if (!op.model->contains("output")) return;
  const Json& shape = op.service->Resolve((*op.model)["output"]);
  for (auto& [name, ref] : shape["members"].items()) {
    const std::string location = ref.value("location", "");
    const Json& member_shape = op.service->Resolve(ref);
    if (location == "statusCode") {
      (*out)[name] = response.status;
    } else if (location == "header") {
      const std::string* v = response.headers.Find(ref.value("locationName", name));
      if (!v) continue;
      const std::string type = member_shape.value("type", "string");
      if (type == "list") {
        Json items = Json::array();
        for (const auto& part : Split(*v, ',')) items.push_back(std::string(Trim(part)));
        (*out)[name] = items;
      } else if (type == "string" && member_shape.value("jsonvalue", false)) {
        (*out)[name] = Json::parse(Base64Decode(*v).value_or("null"), nullptr, false);
      } else {
        (*out)[name] = ScalarFromText(member_shape, *v);
      }
    } else if (location == "headers") {
      std::string prefix = ToLower(ref.value("locationName", std::string()));
      Json map = Json::object();
      for (const auto& [k, v] : response.headers.entries)
        if (StartsWith(ToLower(k), prefix)) map[ToLower(k).substr(prefix.size())] = v;
      (*out)[name] = map;
    }
  }
}

}  // namespace cordon::aws::detail
