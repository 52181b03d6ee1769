#include "hunt/sigma/raw_key_value.h"

#include <re2/re2.h>

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cordon::hunt::sigma {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whether the key ending just before `end` (the last part's first byte) is one the path reaches the value
// by (see ReadRawKeyValue).
bool KeyStartsAt(std::string_view record, size_t end, const std::vector<std::string>& parts) {
  if (end == 0) return false;
  if (record[end - 1] == '"') return true;
  for (size_t k = parts.size() - 1; k > 0 && end > 0 && record[end - 1] == '.'; --k) {
    const std::string& part = parts[k - 1];
    const size_t dot = end - 1;
    if (dot < part.size() || record.substr(dot - part.size(), part.size()) != part) return false;
    end = dot - part.size();
    if (end > 0 && record[end - 1] == '"') return true;
  }
  return false;
}

// The offset of the first '"' or '\\' at or after `from`, or npos. Sixteen bytes per step (SSE2, every
// x86-64 CPU): values are a few dozen bytes, where two memchr calls (the quote, then a backslash before
// it) cost more than the search; this runs on every occurrence of the rules' keys in the trail.
size_t QuoteOrBackslash(std::string_view text, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < text.size(); ++i) {
    if (text[i] == '"' || text[i] == '\\') return i;
  }
  return std::string_view::npos;
}

}  // namespace

RawKeyValue ReadRawKeyValue(std::string_view text, size_t at, size_t needle_size,
                            const std::vector<std::string>& parts) {
  RawKeyValue value;
  if (!KeyStartsAt(text, at, parts)) return value;
  size_t i = at + needle_size;
  while (i < text.size() && IsJsonSpace(text[i])) ++i;
  if (i >= text.size() || text[i] != ':') return value;  // a string value, not a key
  ++i;
  while (i < text.size() && IsJsonSpace(text[i])) ++i;
  if (i < text.size() && text[i] == 'n') {
    value.kind = RawKeyValue::Kind::kNull;
    return value;
  }
  value.kind = RawKeyValue::Kind::kUnknown;
  if (i >= text.size() || text[i] != '"') return value;
  const size_t close = QuoteOrBackslash(text, i + 1);
  // No closing quote, or a backslash before it: escaped, the parsed text differs.
  if (close == std::string_view::npos || text[close] != '"') return value;
  value.kind = RawKeyValue::Kind::kText;
  value.text = text.substr(i + 1, close - i - 1);
  return value;
}

bool TextMatches(const ValueMatcher& v, std::string_view text) {
  switch (v.kind) {
    case ValueMatcher::Kind::kPattern:
      return v.pattern.Matches(text);
    case ValueMatcher::Kind::kRegex:
      return re2::RE2::PartialMatch(text, *v.regex);
    case ValueMatcher::Kind::kCidr:
      return v.cidr.Contains(text);
    default:
      return true;  // not indexed (TestsStrings): never reached
  }
}

bool TestsStrings(const DetectionItem& item) {
  if (!item.field || item.negate || item.values.empty()) return false;
  return std::all_of(item.values.begin(), item.values.end(), [](const ValueMatcher& v) {
    return v.kind == ValueMatcher::Kind::kPattern || v.kind == ValueMatcher::Kind::kRegex ||
           v.kind == ValueMatcher::Kind::kCidr;
  });
}

}  // namespace cordon::hunt::sigma
