#include "hunt/sigma/event.h"

#include "base/strings.h"

namespace cordon::hunt::sigma {
namespace dom = simdjson::dom;

FieldPath FieldPath::Parse(std::string_view name) {
  FieldPath path;
  path.name = std::string(name);
  path.parts = Split(name, '.');
  return path;
}

namespace {

void ResolveFrom(dom::element at, const std::vector<std::string>& parts, size_t index,
                 std::vector<dom::element>* out) {
  if (index == parts.size()) {
    out->push_back(at);
    return;
  }
  if (at.is_array()) {
    for (dom::element item : dom::array(at)) ResolveFrom(item, parts, index, out);
    return;
  }
  if (!at.is_object()) return;
  dom::object object(at);
  if (index + 1 < parts.size()) {
    std::string rest = parts[index];
    for (size_t i = index + 1; i < parts.size(); ++i) rest += "." + parts[i];
    dom::element whole;
    if (object.at_key(rest).get(whole) == simdjson::SUCCESS) {
      out->push_back(whole);
      return;
    }
  }
  dom::element next;
  if (object.at_key(parts[index]).get(next) == simdjson::SUCCESS) ResolveFrom(next, parts, index + 1, out);
}

void StringLeaves(dom::element value, std::vector<std::string>* out) {
  if (value.is_string()) {
    out->emplace_back(std::string_view(value));
  } else if (value.is_array()) {
    for (dom::element item : dom::array(value)) StringLeaves(item, out);
  } else if (value.is_object()) {
    for (dom::key_value_pair field : dom::object(value)) StringLeaves(field.value, out);
  }
}

}  // namespace

void Event::Resolve(const FieldPath& path, std::vector<dom::element>* out) const {
  ResolveFrom(root_, path.parts, 0, out);
}

bool ScalarText(dom::element value, std::string* out) {
  switch (value.type()) {
    case dom::element_type::STRING:
      *out = std::string(std::string_view(value));
      return true;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
    case dom::element_type::BOOL:
      *out = simdjson::minify(value);
      return true;
    default:
      return false;
  }
}

void CandidateTexts(dom::element value, std::vector<std::string>* out) {
  std::string text;
  if (ScalarText(value, &text)) {
    out->push_back(std::move(text));
  } else if (value.is_array()) {
    for (dom::element item : dom::array(value)) CandidateTexts(item, out);
  } else if (value.is_object()) {
    out->push_back(simdjson::minify(value));
    StringLeaves(value, out);
  }
}

}  // namespace cordon::hunt::sigma
