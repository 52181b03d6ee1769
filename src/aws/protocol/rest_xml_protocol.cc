// The rest-xml protocol (S3): REST URIs and headers, XML or raw payloads, path-style addressing when
// the endpoint is overridden and virtual-hosted style otherwise.
#include <openssl/evp.h>

#include <sstream>

#include "aws/protocol/protocol.h"
#include "aws/protocol/rest_common.h"
#include "aws/protocol/wire_values.h"
#include "aws/protocol/xml_reader.h"
#include "base/encoding.h"
#include "base/strings.h"

namespace cordon::aws::detail {
namespace {

Status WriteXml(const ServiceModel& service, const Json& ref, const Json& shape, const Json& value,
                pugi::xml_node parent, const std::string& name) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    pugi::xml_node node = parent.append_child(name.c_str());
    if (ref.contains("xmlNamespace")) {
      const Json& ns = ref["xmlNamespace"];
      std::string attr = ns.contains("prefix") ? "xmlns:" + ns["prefix"].get<std::string>() : "xmlns";
      node.append_attribute(attr.c_str()) = ns.value("uri", "").c_str();
    }
    for (auto& [key, v] : value.items()) {
      const Json& member_ref = shape["members"][key];
      const Json& member_shape = service.Resolve(member_ref);
      std::string member_name = member_ref.value("locationName", key);
      if (member_ref.value("xmlAttribute", false)) {
        auto text = ScalarToText(service, member_shape, v, "iso8601");
        if (!text) return tl::unexpected(text.error());
        node.append_attribute(member_name.c_str()) = text->c_str();
        continue;
      }
      auto s = WriteXml(service, member_ref, member_shape, v, node, member_name);
      if (!s) return s;
    }
    return Ok();
  }
  if (type == "list") {
    const Json& member_ref = shape["member"];
    const Json& member_shape = service.Resolve(member_ref);
    if (ref.value("flattened", false) || shape.value("flattened", false)) {
      std::string item_name = member_ref.value("locationName", name);
      for (const auto& v : value) {
        auto s = WriteXml(service, member_ref, member_shape, v, parent, item_name);
        if (!s) return s;
      }
      return Ok();
    }
    pugi::xml_node node = parent.append_child(name.c_str());
    std::string item_name = member_ref.value("locationName", std::string("member"));
    for (const auto& v : value) {
      auto s = WriteXml(service, member_ref, member_shape, v, node, item_name);
      if (!s) return s;
    }
    return Ok();
  }
  if (type == "map") {
    pugi::xml_node node = parent.append_child(name.c_str());
    for (auto& [k, v] : value.items()) {
      pugi::xml_node entry = node.append_child("entry");
      entry.append_child(shape["key"].value("locationName", std::string("key")).c_str()).text() = k.c_str();
      auto s = WriteXml(service, shape["value"], service.Resolve(shape["value"]), v, entry,
                        shape["value"].value("locationName", std::string("value")));
      if (!s) return s;
    }
    return Ok();
  }
  auto text = ScalarToText(service, shape, value, TimestampFormat(ref, shape, "iso8601"));
  if (!text) return tl::unexpected(text.error());
  parent.append_child(name.c_str()).text() = text->c_str();
  return Ok();
}

bool NeedsContentMd5(const Json& operation) {
  if (operation.value("httpChecksumRequired", false)) return true;
  return operation.contains("httpChecksum") &&
         operation["httpChecksum"].value("requestChecksumRequired", false);
}

bool DnsCompatibleBucket(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63 || bucket.find('.') != std::string::npos) return false;
  for (char c : bucket)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-'))
      return false;
  return bucket.front() != '-' && bucket.back() != '-';
}

// Real S3 wants virtual-hosted addressing (https://bucket.s3.region.amazonaws.com/key); an
// overridden endpoint (moto, MinIO, a VPC endpoint URL) gets path-style, as the SDKs do.
void UseVirtualHost(const Json& input, HttpRequest* request) {
  if (!input.contains("Bucket")) return;
  std::string bucket = input["Bucket"].get<std::string>();
  if (!DnsCompatibleBucket(bucket)) return;
  size_t scheme = request->url.find("://");
  if (scheme == std::string::npos) return;
  size_t path_start = request->url.find('/', scheme + 3);
  if (path_start == std::string::npos) return;
  std::string host = request->url.substr(scheme + 3, path_start - scheme - 3);
  std::string path = request->url.substr(path_start);
  std::string prefix = "/" + bucket;
  if (!StartsWith(path, prefix)) return;
  path = path.substr(prefix.size());
  if (path.empty() || path[0] == '?') path = "/" + path;
  request->url = request->url.substr(0, scheme + 3) + bucket + "." + host + path;
}

}  // namespace

Result<HttpRequest> SerializeRestXml(const OperationRef& op, const Json& input, const Endpoint& endpoint) {
  HttpRequest request;
  auto s = SerializeRestLocations(op, input, endpoint, &request);
  if (!s) return tl::unexpected(s.error());
  if (op.model->contains("input")) {
    const Json& shape = op.service->Resolve((*op.model)["input"]);
    std::string payload = PayloadMember(shape);
    if (!payload.empty() && input.contains(payload)) {
      const Json& member_ref = shape["members"][payload];
      const Json& member_shape = op.service->Resolve(member_ref);
      std::string type = member_shape.value("type", "");
      if (type == "blob") {
        auto bytes = BlobToBytes(input[payload]);
        if (!bytes) return tl::unexpected(bytes.error());
        request.body = std::move(*bytes);
      } else if (type == "string") {
        request.body = input[payload].get<std::string>();
      } else {
        pugi::xml_document doc;
        std::string root = member_ref.value("locationName", member_shape.value("locationName", payload));
        auto w = WriteXml(*op.service, member_ref, member_shape, input[payload], doc, root);
        if (!w) return tl::unexpected(w.error());
        std::ostringstream out;
        doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
        request.body = out.str();
      }
    }
  }
  if (NeedsContentMd5(*op.model) && !request.headers.Find("Content-MD5")) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(request.body.data(), request.body.size(), digest, &size, EVP_md5(), nullptr);
    request.headers.Set("Content-MD5", Base64Encode(std::string_view(reinterpret_cast<char*>(digest), size)));
  }
  if (!endpoint.overridden) UseVirtualHost(input, &request);
  return request;
}

Result<Json> ParseRestXmlResponse(const OperationRef& op, const HttpResponse& response) {
  Json out = Json::object();
  if (!op.model->contains("output")) return out;
  const Json& shape = op.service->Resolve((*op.model)["output"]);
  std::string payload = PayloadMember(shape);
  auto parse_xml = [&](const Json& target_shape) -> Result<Json> {
    if (response.body.empty()) return Json::object();
    pugi::xml_document doc;
    if (!doc.load_buffer(response.body.data(), response.body.size()))
      return MakeError(ErrorKind::kParse, op.name + ": response is not XML");
    return ReadXmlShape(*op.service, target_shape, doc.document_element());
  };
  if (!payload.empty()) {
    const Json& member_shape = op.service->Resolve(shape["members"][payload]);
    std::string type = member_shape.value("type", "");
    if (type == "blob") {
      out[payload] = Base64Encode(response.body);
    } else if (type == "string") {
      out[payload] = response.body;
    } else {
      auto parsed = parse_xml(member_shape);
      if (!parsed) return parsed;
      if (!response.body.empty()) out[payload] = std::move(*parsed);
    }
  } else {
    auto parsed = parse_xml(shape);
    if (!parsed) return parsed;
    out = std::move(*parsed);
  }
  ParseRestLocations(op, response, &out);
  return out;
}

}  // namespace cordon::aws::detail
