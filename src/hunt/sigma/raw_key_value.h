// Reading a key's value from raw JSON bytes without parsing them: how the rule index (rule_index.h) and
// the object prefilter (object_prefilter.h) test records, so that both read the bytes the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/sigma/detection_item.h"

namespace cordon::hunt::sigma {

// What follows one literal occurrence of a key.
struct RawKeyValue {
  enum class Kind {
    kNotKey,   // not the key of the path: another key ends the same way, or a string value
    kNull,     // null: no text for a string matcher
    kText,     // a string without escapes: `text` is its parsed value
    kUnknown,  // a number, boolean, array, object, escaped or unterminated string: assume a match
  };
  Kind kind = Kind::kNotKey;
  std::string_view text;  // kText: a view into the scanned bytes
};

// `at` is where `parts.back()` followed by its closing quote (`needle_size` bytes) occurs in `text`.
// The key counts when it is the last part alone (`"type"`) or the last parts joined with dots as one key
// (`"sessionIssuer.type"`: the path finder tries the dotted key first), whatever its depth.
RawKeyValue ReadRawKeyValue(std::string_view text, size_t at, size_t needle_size,
                            const std::vector<std::string>& parts);

// Whether `text` (a string value as parsed) matches a matcher of the kinds TestsStrings admits
// (pattern, `re`, `cidr`); any other kind answers true (it is never indexed).
bool TextMatches(const ValueMatcher& v, std::string_view text);

// Whether the item can only hold when its field holds a string its values match: the kinds a string
// value is tested by, and neither `neq` (a missing field satisfies it) nor keywords (no field).
bool TestsStrings(const DetectionItem& item);

}  // namespace cordon::hunt::sigma
