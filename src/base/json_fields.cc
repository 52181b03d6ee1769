#include "base/json_fields.h"

namespace cordon {
namespace {

// nullptr when `object` is not an object or has no such member.
const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::string Str(const Json& object, std::string_view key) {
  const Json* m = Member(object, key);
  return m != nullptr && m->is_string() ? m->get<std::string>() : std::string();
}

std::string ScalarText(const Json& object, std::string_view key) {
  const Json* m = Member(object, key);
  if (m == nullptr) return "";
  if (m->is_string()) return m->get<std::string>();
  if (m->is_number() || m->is_boolean()) return m->dump();
  return "";
}

int64_t Int(const Json& object, std::string_view key, int64_t fallback) {
  const Json* m = Member(object, key);
  return m != nullptr && m->is_number_integer() ? m->get<int64_t>() : fallback;
}

bool Bool(const Json& object, std::string_view key, bool fallback) {
  const Json* m = Member(object, key);
  return m != nullptr && m->is_boolean() ? m->get<bool>() : fallback;
}

const Json& Arr(const Json& object, std::string_view key) {
  static const Json kEmpty = Json::array();
  const Json* m = Member(object, key);
  return m != nullptr && m->is_array() ? *m : kEmpty;
}

const Json& Obj(const Json& object, std::string_view key) {
  static const Json kEmpty = Json::object();
  const Json* m = Member(object, key);
  return m != nullptr && m->is_object() ? *m : kEmpty;
}

}  // namespace cordon
