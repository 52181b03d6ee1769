#include "aws/model/validate.h"

#include <openssl/rand.h>

#include <cstdio>

#include "base/strings.h"
#include "base/time.h"

namespace cordon::aws {
namespace {

std::string Describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

class Validator {
 public:
  explicit Validator(const ServiceModel& service) : service_(service) {}

  Status Check(const Json& shape, Json* value, const std::string& path) {
    const std::string type = shape.value("type", "");
    if (type == "structure") return CheckStructure(shape, value, path);
    if (type == "list") {
      if (!value->is_array()) return TypeError(path, "a list", *value);
      for (size_t i = 0; i < value->size(); ++i) {
        auto s = Check(service_.Resolve(shape["member"]), &(*value)[i], path + "[" + std::to_string(i) + "]");
        if (!s) return s;
      }
      return Ok();
    }
    if (type == "map") {
      if (!value->is_object()) return TypeError(path, "an object (map)", *value);
      for (auto& [k, v] : value->items()) {
        auto s = Check(service_.Resolve(shape["value"]), &v, path + "." + k);
        if (!s) return s;
      }
      return Ok();
    }
    if (type == "string" || type == "blob") {
      if (!value->is_string()) {
        // boto3 accepts a dict for policy-document strings in some customizations; we keep it strict.
        if (type == "string" && shape.value("jsonvalue", false)) return Ok();
        return TypeError(path, "a string", *value);
      }
      return Ok();
    }
    if (type == "boolean") return value->is_boolean() ? Ok() : TypeError(path, "true or false", *value);
    if (type == "integer" || type == "long") {
      return value->is_number_integer() ? Ok() : TypeError(path, "an integer", *value);
    }
    if (type == "double" || type == "float")
      return value->is_number() ? Ok() : TypeError(path, "a number", *value);
    if (type == "timestamp") {
      if (value->is_number() || value->is_string()) {
        if (value->is_string() && !ParseTimestamp(value->get<std::string>()))
          return MakeError(ErrorKind::kInvalidArgument,
                           "invalid timestamp for parameter " + path + ": '" + value->get<std::string>() +
                               "' (use ISO 8601 like 2026-11-27T12:00:00Z, or epoch seconds)");
        return Ok();
      }
      return TypeError(path, "a timestamp", *value);
    }
    return Ok();
  }

 private:
  Status CheckStructure(const Json& shape, Json* value, const std::string& path) {
    if (!value->is_object()) return TypeError(path.empty() ? "input" : path, "an object", *value);
    const Json& members = shape["members"];
    for (auto& [name, v] : value->items()) {
      if (!members.contains(name)) {
        std::vector<std::string> names;
        for (auto& [m, ref] : members.items()) names.push_back(m);
        std::string message = "unknown parameter " + Join(path, name) + "";
        auto near = ClosestMatches(name, names, 1);
        if (!near.empty()) message += "; did you mean '" + near[0] + "'?";
        message += " Valid parameters: ";
        for (size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
        return MakeError(ErrorKind::kInvalidArgument, message);
      }
    }
    for (auto& [name, ref] : members.items()) {
      if (ref.value("idempotencyToken", false) && !value->contains(name)) (*value)[name] = NewUuid();
    }
    if (shape.contains("required")) {
      for (const auto& req : shape["required"]) {
        if (!value->contains(req.get<std::string>()))
          return MakeError(ErrorKind::kInvalidArgument,
                           "missing required parameter " + Join(path, req.get<std::string>()));
      }
    }
    for (auto& [name, v] : value->items()) {
      auto s = Check(service_.Resolve(members[name]), &v, Join(path, name));
      if (!s) return s;
    }
    return Ok();
  }

  static std::string Join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

  static Status TypeError(const std::string& path, const std::string& expected, const Json& got) {
    return MakeError(ErrorKind::kInvalidArgument, "invalid type for parameter " + path + ": expected " +
                                                      expected + ", got " + Describe(got));
  }

  const ServiceModel& service_;
};

}  // namespace

std::string NewUuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof(b));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof(out), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

Status ValidateInput(const ServiceModel& service, const Json& operation, Json* input) {
  if (input->is_null()) *input = Json::object();
  if (!operation.contains("input")) {
    if (!input->empty()) return MakeError(ErrorKind::kInvalidArgument, "this operation takes no parameters");
    return Ok();
  }
  return Validator(service).Check(service.Resolve(operation["input"]), input, "");
}

}  // namespace cordon::aws
