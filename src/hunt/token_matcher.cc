#include "hunt/token_matcher.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cordon::hunt {
namespace {

bool IsWordChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

}  // namespace

namespace detail {

size_t FindLiteral(std::string_view hay, std::string_view needle, size_t from) {
  const size_t n = needle.size();
  if (n == 0 || hay.size() < n || from > hay.size() - n) return std::string_view::npos;
  if (n == 1) {
    const void* p = std::memchr(hay.data() + from, needle[0], hay.size() - from);
    return p ? static_cast<const char*>(p) - hay.data() : std::string_view::npos;
  }
  const char* base = hay.data();
  size_t i = from;
  const size_t last_start = hay.size() - n;  // the last position a match may start at
#if defined(__SSE2__)
  // Compare 16 candidate starts at once on the needle's first and last byte (W. Mula's "generic SIMD"
  // substring search), then confirm the few survivors with memcmp.
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[n - 1]);
  while (i + 16 <= last_start + 1) {
    const __m128i block_first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    const __m128i block_last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + n - 1));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpeq_epi8(first, block_first), _mm_cmpeq_epi8(last, block_last))));
    while (mask != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(base + i + bit + 1, needle.data() + 1, n - 2) == 0) return i + bit;
      mask &= mask - 1;
    }
    i += 16;
  }
#endif
  for (; i <= last_start; ++i) {
    if (base[i] == needle[0] && base[i + n - 1] == needle[n - 1] &&
        std::memcmp(base + i, needle.data(), n) == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace detail

TokenMatcher::TokenMatcher(std::vector<std::string> tokens) {
  for (auto& token : tokens) {
    if (token.empty()) continue;
    if (std::find(tokens_.begin(), tokens_.end(), token) != tokens_.end()) continue;
    tokens_.push_back(std::move(token));
  }
}

bool TokenMatcher::IsDelimited(std::string_view text, size_t pos, size_t len) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (pos > 0) {
    const unsigned char before = at(pos - 1);
    if (IsWordChar(before)) return false;
    if (before == '.' && pos > 1 && IsWordChar(at(pos - 2)) && at(pos - 2) != '-' && at(pos - 2) != '_') {
      return false;
    }
  }
  const size_t end = pos + len;
  if (end < text.size()) {
    const unsigned char after = at(end);
    if (IsWordChar(after)) return false;
    if (after == '.' && end + 1 < text.size() && IsWordChar(at(end + 1)) && at(end + 1) != '-' &&
        at(end + 1) != '_') {
      return false;
    }
  }
  return true;
}

bool TokenMatcher::ContainsToken(std::string_view text, std::string_view token) {
  for (size_t pos = detail::FindLiteral(text, token, 0); pos != std::string_view::npos;
       pos = detail::FindLiteral(text, token, pos + 1)) {
    if (IsDelimited(text, pos, token.size())) return true;
  }
  return false;
}

std::vector<TokenMatcher::Hit> TokenMatcher::FindAll(std::string_view text) const {
  std::vector<Hit> hits;
  for (uint32_t t = 0; t < tokens_.size(); ++t) {
    const std::string& token = tokens_[t];
    for (size_t pos = detail::FindLiteral(text, token, 0); pos != std::string_view::npos;
         pos = detail::FindLiteral(text, token, pos + 1)) {
      if (IsDelimited(text, pos, token.size())) hits.push_back({pos, t});
    }
  }
  if (tokens_.size() > 1) {
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.offset != b.offset ? a.offset < b.offset : a.token < b.token;
    });
  }
  return hits;
}

bool TokenMatcher::ContainsAny(std::string_view text) const {
  for (const std::string& token : tokens_) {
    if (ContainsToken(text, token)) return true;
  }
  return false;
}

}  // namespace cordon::hunt
