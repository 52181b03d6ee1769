#include "aws/protocol/wire_values.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "base/encoding.h"
#include "base/strings.h"
#include "base/time.h"

namespace cordon::aws::detail {

Result<std::string> TimestampToWire(const Json& value, const std::string& format) {
  std::optional<TimePoint> t;
  if (value.is_number()) {
    t = TimePoint(std::chrono::microseconds(static_cast<int64_t>(std::llround(value.get<double>() * 1e6))));
  } else if (value.is_string()) {
    t = ParseTimestamp(value.get<std::string>());
  }
  if (!t) return MakeError(ErrorKind::kInvalidArgument, "invalid timestamp: " + value.dump());
  if (format == "unixTimestamp") {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(t->time_since_epoch()).count();
    if (us % 1000000 == 0) return std::to_string(us / 1000000);
    std::ostringstream out;
    out.precision(3);
    out << std::fixed << static_cast<double>(us) / 1e6;
    return out.str();
  }
  if (format == "rfc822") return FormatHttpDate(*t);
  return FormatIso8601(*t);
}

Json TimestampFromWire(const std::string& text) {
  if (auto t = ParseTimestamp(std::string(Trim(text)))) return FormatIsoLikeBoto3(*t);
  return text;
}

Result<std::string> BlobToBytes(const Json& value) {
  if (!value.is_string()) return MakeError(ErrorKind::kInvalidArgument, "a blob must be a string");
  const std::string& s = value.get_ref<const std::string&>();
  if (StartsWith(s, "fileb://")) {
    std::string path = s.substr(8);
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorKind::kIo, "cannot read " + path);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
  }
  auto decoded = Base64Decode(s);
  if (!decoded)
    return MakeError(
        ErrorKind::kInvalidArgument,
        "blob values must be base64 (or fileb://PATH for a file's bytes): '" + s.substr(0, 40) + "'");
  return *decoded;
}

std::string TimestampFormat(const Json& member_ref, const Json& shape, const std::string& fallback) {
  if (member_ref.contains("timestampFormat")) return member_ref["timestampFormat"].get<std::string>();
  if (shape.contains("timestampFormat")) return shape["timestampFormat"].get<std::string>();
  return fallback;
}

Result<std::string> ScalarToText(const ServiceModel& service, const Json& shape, const Json& value,
                                 const std::string& default_timestamp_format) {
  const std::string type = shape.value("type", "string");
  if (type == "timestamp") return TimestampToWire(value, default_timestamp_format);
  if (type == "blob") {
    auto bytes = BlobToBytes(value);
    if (!bytes) return tl::unexpected(bytes.error());
    return Base64Encode(*bytes);
  }
  if (type == "boolean") return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    std::ostringstream out;
    out << value.get<double>();
    return out.str();
  }
  return value.dump();
}

Json ScalarFromText(const Json& shape, const std::string& text) {
  const std::string type = shape.value("type", "string");
  if (type == "integer" || type == "long") {
    try {
      return std::stoll(text);
    } catch (...) {
      return text;
    }
  }
  if (type == "double" || type == "float") {
    try {
      return std::stod(text);
    } catch (...) {
      return text;
    }
  }
  if (type == "boolean") return text == "true";
  if (type == "timestamp") return TimestampFromWire(text);
  return text;  // strings, and blobs (base64 on the wire, printed as base64)
}

void DecodePolicyDocuments(const ServiceModel& service, const Json& shape, Json* output) {
  const std::string type = shape.value("type", "");
  if (type == "structure" && output->is_object()) {
    for (auto& [name, ref] : shape["members"].items()) {
      if (!output->contains(name)) continue;
      Json& v = (*output)[name];
      if (ref["shape"] == "policyDocumentType" && v.is_string()) {
        // botocore: unquote then json.loads; a document that does not parse stays a string.
        std::string decoded = UriDecode(v.get<std::string>());
        Json parsed = Json::parse(decoded, nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_discarded()) v = std::move(parsed);
        continue;
      }
      DecodePolicyDocuments(service, service.Resolve(ref), &v);
    }
  } else if (type == "list" && output->is_array()) {
    const Json& member = service.Resolve(shape["member"]);
    for (auto& v : *output) DecodePolicyDocuments(service, member, &v);
  }  // botocore does not look inside maps; neither do we
}

}  // namespace cordon::aws::detail
