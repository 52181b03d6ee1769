// A parsed log record as Sigma rules see it: values found by field paths into nested objects and arrays.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt::sigma {

// A field name split at its dots: `userIdentity.sessionContext.sessionIssuer.type`.
struct FieldPath {
  std::string name;
  std::vector<std::string> parts;
  static FieldPath Parse(std::string_view name);
};

// Holds a view of a simdjson DOM element; the parser that produced it must outlive the Event.
class Event {
 public:
  explicit Event(simdjson::dom::element root) : root_(root) {}

  // Every value `path` reaches. At an object, a key that holds the rest of the path with its dots
  // (`"additionalEventData.MFAUsed"` as one key) is tried before descending part by part; at an array,
  // every element is followed (`requestParameters.containerDefinitions.command` reaches each container's
  // command). A null value is reached (and counts as present); a missing one is not.
  void Resolve(const FieldPath& path, std::vector<simdjson::dom::element>* out) const;
  simdjson::dom::element root() const { return root_; }

 private:
  simdjson::dom::element root_;
};

// The texts a string-like matcher tests for one value: a string as itself, a number or boolean as its JSON
// token (`true`, `42`), an array's elements (recursively), and an object as its compact JSON text plus
// every string inside it (so `requestParameters|contains: Suspended` finds a nested value, and a policy
// document kept as a JSON string is searched unescaped). Null gives nothing: only `null` matches it.
void CandidateTexts(simdjson::dom::element value, std::vector<std::string>* out);

// The text of a scalar (string, number, boolean); false for null, objects and arrays.
bool ScalarText(simdjson::dom::element value, std::string* out);

}  // namespace cordon::hunt::sigma
