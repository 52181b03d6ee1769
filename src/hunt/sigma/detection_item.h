// One detection item of a Sigma search identifier (`field|mod1|mod2: values`), compiled from the rule's
// values and modifiers, and matched against an event. Modifier semantics: the Sigma modifiers appendix
// (tests/data/sigma/specification/sigma-appendix-modifiers.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "hunt/sigma/cidr.h"
#include "hunt/sigma/event.h"
#include "hunt/sigma/pattern.h"

namespace re2 {
class RE2;
}

namespace cordon::hunt::sigma {

// A value as the rule's YAML wrote it. Only the type matters beyond the text: `null` is null, `exists`
// wants a boolean, and a number is compared as the record's number or as its text.
struct RawValue {
  enum class Type { kString, kNumber, kBool, kNull } type = Type::kString;
  std::string text;
};

// One value after the modifiers were applied: what a field value is tested against.
struct ValueMatcher {
  enum class Kind { kPattern, kRegex, kCidr, kCompare, kNull, kExists, kFieldRef };
  enum class Compare { kLt, kLte, kGt, kGte };
  enum class RefMode { kEquals, kContains, kStartsWith, kEndsWith };

  Kind kind = Kind::kPattern;
  Pattern pattern;                        // kPattern
  std::shared_ptr<const re2::RE2> regex;  // kRegex (RE2: linear time on hostile input)
  Cidr cidr;                              // kCidr
  Compare compare = Compare::kLt;         // kCompare
  double number = 0;                      // kCompare
  bool exists = true;                     // kExists
  FieldPath ref;                          // kFieldRef: the other field
  RefMode ref_mode = RefMode::kEquals;    // kFieldRef
  bool cased = false;                     // kFieldRef
};

struct DetectionItem {
  std::optional<FieldPath> field;  // none: keywords, searched anywhere in the event
  std::vector<ValueMatcher> values;
  bool all = false;     // `all`: every value must match (default: any)
  bool negate = false;  // `neq`: the field differs from every value (a missing field differs too)

  bool Matches(const Event& event) const;
};

// Compiles `key` (`field|mod|mod`, `|all` or empty for keywords) with its values. Fails with
// kInvalidArgument naming the reason for an unknown modifier, `expand` (placeholders need values cordon
// does not have), a bad regular expression, CIDR or number, or a modifier applied where it cannot be.
Result<DetectionItem> CompileItem(std::string_view key, const std::vector<RawValue>& values);

}  // namespace cordon::hunt::sigma
