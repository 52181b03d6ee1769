#include "aws/protocol/json_codec.h"

#include "aws/protocol/wire_values.h"
#include "base/encoding.h"
#include "base/time.h"

namespace cordon::aws::detail {

Result<Json> JsonToWire(const ServiceModel& service, const Json& ref, const Json& shape, const Json& value,
                        bool use_location_name) {
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    Json out = Json::object();
    for (auto& [key, v] : value.items()) {
      const Json& member_ref = shape["members"][key];
      if (member_ref.value("location", "") != "") continue;  // headers, URI, query string: not in the body
      std::string name = use_location_name ? member_ref.value("locationName", key) : key;
      auto wire = JsonToWire(service, member_ref, service.Resolve(member_ref), v, use_location_name);
      if (!wire) return wire;
      out[name] = std::move(*wire);
    }
    return out;
  }
  if (type == "list") {
    Json out = Json::array();
    for (const auto& v : value) {
      auto wire =
          JsonToWire(service, shape["member"], service.Resolve(shape["member"]), v, use_location_name);
      if (!wire) return wire;
      out.push_back(std::move(*wire));
    }
    return out;
  }
  if (type == "map") {
    Json out = Json::object();
    for (auto& [k, v] : value.items()) {
      auto wire = JsonToWire(service, shape["value"], service.Resolve(shape["value"]), v, use_location_name);
      if (!wire) return wire;
      out[k] = std::move(*wire);
    }
    return out;
  }
  if (type == "timestamp") {
    std::string format = TimestampFormat(ref, shape, "unixTimestamp");
    auto text = TimestampToWire(value, format);
    if (!text) return tl::unexpected(text.error());
    if (format == "unixTimestamp") return Json::parse(*text);
    return *text;
  }
  if (type == "blob") {
    auto bytes = BlobToBytes(value);
    if (!bytes) return tl::unexpected(bytes.error());
    return Base64Encode(*bytes);
  }
  if (type == "string" && shape.value("jsonvalue", false) && !value.is_string()) return value.dump();
  return value;
}

Json JsonFromWire(const ServiceModel& service, const Json& shape, const Json& wire, bool use_location_name) {
  if (wire.is_null()) return wire;
  const std::string type = shape.value("type", "string");
  if (type == "structure") {
    if (!wire.is_object()) return wire;
    Json out = Json::object();
    for (auto& [name, ref] : shape["members"].items()) {
      if (ref.value("location", "") != "") continue;
      std::string wire_name = use_location_name ? ref.value("locationName", name) : name;
      auto it = wire.find(wire_name);
      if (it == wire.end() || it->is_null()) continue;
      out[name] = JsonFromWire(service, service.Resolve(ref), *it, use_location_name);
    }
    return out;
  }
  if (type == "list") {
    if (!wire.is_array()) return wire;
    Json out = Json::array();
    const Json& member = service.Resolve(shape["member"]);
    for (const auto& v : wire) out.push_back(JsonFromWire(service, member, v, use_location_name));
    return out;
  }
  if (type == "map") {
    if (!wire.is_object()) return wire;
    Json out = Json::object();
    const Json& value = service.Resolve(shape["value"]);
    for (auto& [k, v] : wire.items()) out[k] = JsonFromWire(service, value, v, use_location_name);
    return out;
  }
  if (type == "timestamp") {
    if (wire.is_number()) {
      auto us = static_cast<int64_t>(wire.get<double>() * 1e6 + 0.5);
      return FormatIsoLikeBoto3(TimePoint(std::chrono::microseconds(us)));
    }
    if (wire.is_string()) return TimestampFromWire(wire.get<std::string>());
    return wire;
  }
  if (type == "string" && shape.value("jsonvalue", false) && wire.is_string()) {
    Json parsed = Json::parse(wire.get<std::string>(), nullptr, false);
    return parsed.is_discarded() ? wire : parsed;
  }
  return wire;  // strings, numbers, booleans; blobs stay base64 as boto3's bytes print in the CLI
}

}  // namespace cordon::aws::detail
