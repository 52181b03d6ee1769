#include "hunt/token_matcher.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The AVX2 kernel is compiled for AVX2 with a target attribute and only called when the CPU has it, so the
// binary still runs on x86-64 CPUs without AVX2 (the default build targets baseline x86-64).
#include <immintrin.h>
#define CORDON_HUNT_HAVE_AVX2_KERNEL 1
#endif

namespace cordon::hunt {
namespace {

bool IsWordChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

}  // namespace

namespace detail {
namespace {

template <typename Word>
Word LoadWord(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Whether `candidate` (whose first, middle and last bytes already agree) equals `needle`. Selectors are
// short (an IP is 7 to 15 bytes, an instance id 10 or 19), so two overlapping word compares replace the
// memcmp call for needles up to 16 bytes: a library call per candidate cost more than the compare, and
// digit-heavy flow logs give IPs many candidates.
inline bool SameBytes(const char* candidate, std::string_view needle) {
  const size_t n = needle.size();
  const char* p = needle.data();
  if (n <= 3) return true;  // the three bytes the filter compared are all of them
  if (n <= 8) {
    return LoadWord<uint32_t>(candidate) == LoadWord<uint32_t>(p) &&
           LoadWord<uint32_t>(candidate + n - 4) == LoadWord<uint32_t>(p + n - 4);
  }
  if (n <= 16) {
    return LoadWord<uint64_t>(candidate) == LoadWord<uint64_t>(p) &&
           LoadWord<uint64_t>(candidate + n - 8) == LoadWord<uint64_t>(p + n - 8);
  }
  return std::memcmp(candidate + 1, p + 1, n - 2) == 0;
}

// Confirms the candidate starts in `mask` (bit k set: a match may start at i + k, its first, middle and
// last bytes agree) and returns the first real match, or npos.
inline size_t FirstConfirmed(uint64_t mask, const char* base, size_t i, std::string_view needle) {
  while (mask != 0) {
    const size_t at = i + static_cast<size_t>(__builtin_ctzll(mask));
    if (SameBytes(base + at, needle)) return at;
    mask &= mask - 1;
  }
  return std::string_view::npos;
}

size_t FindScalar(std::string_view hay, std::string_view needle, size_t i) {
  const size_t n = needle.size();
  for (const size_t last_start = hay.size() - n; i <= last_start; ++i) {
    if (hay[i] == needle[0] && hay[i + n - 1] == needle[n - 1] &&
        std::memcmp(hay.data() + i, needle.data(), n) == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

#if defined(CORDON_HUNT_HAVE_AVX2_KERNEL)
// The candidate starts among the 32 at `at`: first, middle and last byte agree.
__attribute__((target("avx2"), always_inline)) inline uint64_t CandidatesAvx2(const char* at, size_t mid,
                                                                              size_t n, __m256i first,
                                                                              __m256i middle, __m256i last) {
  const __m256i at_first = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
  const __m256i at_middle = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + mid));
  const __m256i at_last = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + n - 1));
  const __m256i eq = _mm256_and_si256(
      _mm256_and_si256(_mm256_cmpeq_epi8(first, at_first), _mm256_cmpeq_epi8(middle, at_middle)),
      _mm256_cmpeq_epi8(last, at_last));
  return static_cast<uint32_t>(_mm256_movemask_epi8(eq));
}

// 64 starts per step (two blocks of 32, one branch): the loop's own work was a third of the step, and
// whole-trail Sigma runs four or five of these searches over every object.
__attribute__((target("avx2"))) size_t FindLiteralAvx2(std::string_view hay, std::string_view needle,
                                                       size_t from) {
  const size_t n = needle.size();
  const size_t mid = n / 2;
  const char* base = hay.data();
  const size_t last_start = hay.size() - n;
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i middle = _mm256_set1_epi8(needle[mid]);
  const __m256i last = _mm256_set1_epi8(needle[n - 1]);
  size_t i = from;
  for (; i + 64 <= last_start + 1; i += 64) {
    const uint64_t mask = CandidatesAvx2(base + i, mid, n, first, middle, last) |
                          (CandidatesAvx2(base + i + 32, mid, n, first, middle, last) << 32);
    if (mask != 0) {
      const size_t at = FirstConfirmed(mask, base, i, needle);
      if (at != std::string_view::npos) return at;
    }
  }
  for (; i + 32 <= last_start + 1; i += 32) {
    const uint64_t mask = CandidatesAvx2(base + i, mid, n, first, middle, last);
    if (mask != 0) {
      const size_t at = FirstConfirmed(mask, base, i, needle);
      if (at != std::string_view::npos) return at;
    }
  }
  return FindLiteralBaseline(hay, needle, i);
}

bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

}  // namespace

size_t FindLiteralBaseline(std::string_view hay, std::string_view needle, size_t from) {
  const size_t n = needle.size();
  if (n == 0 || hay.size() < n || from > hay.size() - n) return std::string_view::npos;
  if (n == 1) {
    const void* p = std::memchr(hay.data() + from, needle[0], hay.size() - from);
    return p ? static_cast<size_t>(static_cast<const char*>(p) - hay.data()) : std::string_view::npos;
  }
  size_t i = from;
#if defined(__SSE2__)
  // Compare 16 candidate starts at once on the needle's first, middle and last byte (W. Mula's "generic
  // SIMD" substring search), then confirm the few survivors with memcmp. The middle byte matters: with an
  // IP such as 10.0.3.8 in text full of digits, first and last byte alone let ~0.4% of positions through
  // (each a mispredicted branch and a memcmp); the third byte cuts that about fifteenfold.
  const size_t mid = n / 2;
  const char* base = hay.data();
  const size_t last_start = hay.size() - n;
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i middle = _mm_set1_epi8(needle[mid]);
  const __m128i last = _mm_set1_epi8(needle[n - 1]);
  for (; i + 16 <= last_start + 1; i += 16) {
    const auto load = [&](size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + at)); };
    const __m128i eq =
        _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(first, load(i)), _mm_cmpeq_epi8(middle, load(i + mid))),
                      _mm_cmpeq_epi8(last, load(i + n - 1)));
    const uint64_t mask = static_cast<uint32_t>(_mm_movemask_epi8(eq));
    if (mask != 0) {
      const size_t at = FirstConfirmed(mask, base, i, needle);
      if (at != std::string_view::npos) return at;
    }
  }
#endif
  return FindScalar(hay, needle, i);
}

size_t FindLiteral(std::string_view hay, std::string_view needle, size_t from) {
#if defined(CORDON_HUNT_HAVE_AVX2_KERNEL)
  const size_t n = needle.size();
  if (n >= 2 && hay.size() >= n && from <= hay.size() - n && CpuHasAvx2()) {
    return FindLiteralAvx2(hay, needle, from);
  }
#endif
  return FindLiteralBaseline(hay, needle, from);
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

std::vector<TokenMatcher::Hit> TokenMatcher::FindAll(std::string_view text, size_t max_hits) const {
  std::vector<Hit> hits;
  for (uint32_t t = 0; t < tokens_.size(); ++t) {
    const std::string& token = tokens_[t];
    for (size_t pos = detail::FindLiteral(text, token, 0); pos != std::string_view::npos;
         pos = detail::FindLiteral(text, token, pos + 1)) {
      if (!IsDelimited(text, pos, token.size())) continue;
      hits.push_back({pos, t});
      if (hits.size() > max_hits) return hits;
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
