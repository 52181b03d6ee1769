#include "hunt/sigma/field_capture.h"

#include "hunt/sigma/event.h"

namespace cordon::hunt::sigma {

bool FieldCapture::Capture(std::string_view record, const std::vector<std::string>& fields,
                           std::vector<std::pair<std::string, std::string>>* out) {
  simdjson::dom::element root;
  if (parser_.parse(record.data(), record.size()).get(root) != simdjson::SUCCESS) return false;
  const Event event(root);
  std::vector<simdjson::dom::element> values;
  for (const std::string& field : fields) {
    values.clear();
    event.Resolve(FieldPath::Parse(field), &values);
    for (simdjson::dom::element value : values) {
      if (value.is_null()) continue;
      std::string text;
      if (!ScalarText(value, &text)) text = simdjson::minify(value);
      out->emplace_back(field, std::move(text));
      break;
    }
  }
  return true;
}

}  // namespace cordon::hunt::sigma
