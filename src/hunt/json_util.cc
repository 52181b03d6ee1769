#include "hunt/json_util.h"

#include "hunt/byte_buffer.h"

namespace cordon::hunt::detail {

simdjson::padded_string_view PaddedSpan(std::string_view span, const char* buffer_end) {
  // The readable region runs to the buffer's end plus its padding.
  const size_t capacity = static_cast<size_t>(buffer_end - span.data()) + kReadPadding;
  return simdjson::padded_string_view(span.data(), span.size(), capacity);
}

bool GetString(sj::value value, std::string* out) {
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) return false;
  out->assign(s);
  return true;
}

simdjson::simdjson_result<std::string_view> RawJson(sj::value value) {
  sj::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == sj::json_type::object) {
    sj::object object;
    if (auto error = value.get_object().get(object)) return error;
    return object.raw_json();
  }
  if (type == sj::json_type::array) {
    sj::array array;
    if (auto error = value.get_array().get(array)) return error;
    return array.raw_json();
  }
  return value.raw_json_token();
}

bool AtEnd(sj::document& doc) { return doc.current_location().error() == simdjson::OUT_OF_BOUNDS; }

char FirstNonSpace(std::string_view text, size_t pos) {
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return '\0';
}

}  // namespace cordon::hunt::detail
