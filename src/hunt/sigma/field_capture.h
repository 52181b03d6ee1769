// The values a correlation groups and counts by, read from a matched record: the text of each named
// field (a path as rules use them), for the record's match to carry to the correlations.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::hunt::sigma {

// Not thread-safe: one per worker.
class FieldCapture {
 public:
  // Appends (field, text) for each of `fields` that `record` (one JSON object's text) holds: a scalar as
  // its text, an object or array as its compact JSON, the first value where a path reaches several. A
  // missing or null field is left out. False, with nothing appended, when the record is not valid JSON.
  bool Capture(std::string_view record, const std::vector<std::string>& fields,
               std::vector<std::pair<std::string, std::string>>* out);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace cordon::hunt::sigma
