// DetectionItem::Matches: one item against one event.
#include "hunt/sigma/detection_item.h"

#include <re2/re2.h>

#include <charconv>

#include "base/strings.h"

namespace cordon::hunt::sigma {
namespace dom = simdjson::dom;
namespace {

bool IsNull(dom::element e) { return e.type() == dom::element_type::NULL_VALUE; }

// A number, or a string holding one (CloudTrail writes some counts as strings).
bool NumberOf(dom::element e, double* out) {
  if (e.is_number()) return e.get_double().get(*out) == simdjson::SUCCESS;
  if (!e.is_string()) return false;
  std::string_view s(e);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool CompareNumber(ValueMatcher::Compare op, double field, double value) {
  switch (op) {
    case ValueMatcher::Compare::kLt:
      return field < value;
    case ValueMatcher::Compare::kLte:
      return field <= value;
    case ValueMatcher::Compare::kGt:
      return field > value;
    case ValueMatcher::Compare::kGte:
      return field >= value;
  }
  return false;
}

bool RefMatches(const ValueMatcher& v, std::string field, std::string other) {
  if (!v.cased) {
    field = ToLower(field);
    other = ToLower(other);
  }
  switch (v.ref_mode) {
    case ValueMatcher::RefMode::kEquals:
      return field == other;
    case ValueMatcher::RefMode::kContains:
      return field.find(other) != std::string::npos;
    case ValueMatcher::RefMode::kStartsWith:
      return StartsWith(field, other);
    case ValueMatcher::RefMode::kEndsWith:
      return EndsWith(field, other);
  }
  return false;
}

// Whether one value matcher holds for a field that reached `found` (empty: the field is missing).
bool ValueMatches(const ValueMatcher& v, const Event& event, const std::vector<dom::element>& found,
                  const std::vector<std::string>& texts) {
  switch (v.kind) {
    case ValueMatcher::Kind::kNull:
      return found.empty() || std::any_of(found.begin(), found.end(), IsNull);
    case ValueMatcher::Kind::kExists:
      return found.empty() != v.exists;
    case ValueMatcher::Kind::kPattern:
      return std::any_of(texts.begin(), texts.end(),
                         [&](const std::string& t) { return v.pattern.Matches(t); });
    case ValueMatcher::Kind::kRegex:
      return std::any_of(texts.begin(), texts.end(),
                         [&](const std::string& t) { return re2::RE2::PartialMatch(t, *v.regex); });
    case ValueMatcher::Kind::kCidr:
      return std::any_of(texts.begin(), texts.end(),
                         [&](const std::string& t) { return v.cidr.Contains(t); });
    case ValueMatcher::Kind::kCompare:
      return std::any_of(found.begin(), found.end(), [&](dom::element e) {
        double n = 0;
        return NumberOf(e, &n) && CompareNumber(v.compare, n, v.number);
      });
    case ValueMatcher::Kind::kFieldRef: {
      std::vector<dom::element> others;
      event.Resolve(v.ref, &others);
      for (dom::element o : others) {
        std::string other;
        if (!ScalarText(o, &other)) continue;
        for (const std::string& t : texts) {
          if (RefMatches(v, t, other)) return true;
        }
      }
      return false;
    }
  }
  return false;
}

}  // namespace

bool DetectionItem::Matches(const Event& event) const {
  std::vector<dom::element> found;
  if (field) {
    event.Resolve(*field, &found);
  } else {
    found.push_back(event.root());
  }
  std::vector<std::string> texts;
  for (dom::element e : found) CandidateTexts(e, &texts);
  bool result = all;
  for (const ValueMatcher& v : values) {
    const bool m = ValueMatches(v, event, found, texts);
    if (all && !m) {
      result = false;
      break;
    }
    if (!all && m) {
      result = true;
      break;
    }
  }
  return negate ? !result : result;
}

}  // namespace cordon::hunt::sigma
