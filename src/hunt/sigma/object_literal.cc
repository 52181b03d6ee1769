#include "hunt/sigma/object_literal.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "hunt/sigma/ascii_fold.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CORDON_SIGMA_OBJECT_AVX2 1
#endif

namespace cordon::hunt::sigma {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Three of the literal's bytes every start is compared on: the first, the middle and the last (as
// FindLiteral). A letter compared without case is
// compared with 0x20 or-ed in, which maps exactly its two cases onto the lower one.
struct Probes {
  size_t offset[3];
  char byte[3];
  char fold[3];
};

Probes MakeProbes(std::string_view literal, bool cased) {
  Probes p{};
  const size_t n = literal.size();
  const size_t at[3] = {0, n / 2, n - 1};
  for (int k = 0; k < 3; ++k) {
    p.offset[k] = at[k];
    p.byte[k] = literal[at[k]];
    p.fold[k] = !cased && IsLetter(literal[at[k]]) ? 0x20 : 0;
  }
  return p;
}

bool ConfirmAt(std::string_view text, size_t pos, std::string_view literal, bool cased) {
  for (size_t k = 0; k < literal.size(); ++k) {
    const char c = cased ? text[pos + k] : FoldAscii(text[pos + k]);
    if (c != literal[k]) return false;
  }
  return true;
}

// The first start of the mask's (bit k: start i + k) that holds the literal, or npos.
size_t ConfirmMask(uint64_t mask, std::string_view text, size_t i, std::string_view literal, bool cased) {
  for (; mask != 0; mask &= mask - 1) {
    const size_t at = i + static_cast<size_t>(__builtin_ctzll(mask));
    if (ConfirmAt(text, at, literal, cased)) return at;
  }
  return std::string_view::npos;
}

size_t FindScalar(std::string_view text, size_t i, std::string_view literal, bool cased) {
  for (; i + literal.size() <= text.size(); ++i) {
    if (ConfirmAt(text, i, literal, cased)) return i;
  }
  return std::string_view::npos;
}

#if defined(CORDON_SIGMA_OBJECT_AVX2)
bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}

// The 32 starts whose byte at `at` is the probe's. A lambda would not inherit target("avx2").
__attribute__((target("avx2"), always_inline)) inline __m256i ProbeAvx2(const char* at, __m256i fold,
                                                                        __m256i byte) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
  return _mm256_cmpeq_epi8(_mm256_or_si256(v, fold), byte);
}

// The 32 starts at `at` whose three probed bytes are the literal's: bit k for start at + k.
__attribute__((target("avx2"), always_inline)) inline uint64_t StartsAvx2(const char* at, const Probes& p,
                                                                          const __m256i* fold,
                                                                          const __m256i* byte) {
  const __m256i eq = _mm256_and_si256(_mm256_and_si256(ProbeAvx2(at + p.offset[0], fold[0], byte[0]),
                                                       ProbeAvx2(at + p.offset[1], fold[1], byte[1])),
                                      ProbeAvx2(at + p.offset[2], fold[2], byte[2]));
  return static_cast<uint32_t>(_mm256_movemask_epi8(eq));
}

// 64 starts per step, one branch (as FindLiteralAvx2).
__attribute__((target("avx2"))) size_t FindAvx2(std::string_view text, std::string_view literal, bool cased,
                                                size_t i) {
  const Probes p = MakeProbes(literal, cased);
  const char* base = text.data();
  __m256i byte[3];
  __m256i fold[3];
  for (int k = 0; k < 3; ++k) {
    byte[k] = _mm256_set1_epi8(p.byte[k]);
    fold[k] = _mm256_set1_epi8(p.fold[k]);
  }
  for (; i + 64 + literal.size() - 1 <= text.size(); i += 64) {
    const uint64_t mask = StartsAvx2(base + i, p, fold, byte) | StartsAvx2(base + i + 32, p, fold, byte)
                                                                    << 32;
    if (mask == 0) continue;
    const size_t at = ConfirmMask(mask, text, i, literal, cased);
    if (at != std::string_view::npos) return at;
  }
  for (; i + 32 + literal.size() - 1 <= text.size(); i += 32) {
    const uint64_t mask = StartsAvx2(base + i, p, fold, byte);
    if (mask == 0) continue;
    const size_t at = ConfirmMask(mask, text, i, literal, cased);
    if (at != std::string_view::npos) return at;
  }
  return FindScalar(text, i, literal, cased);
}

// Appends the backslashes of a 64-byte block at `i` (bit k: byte i + k); false past `max`. Out of the
// loop's way: most blocks have none.
__attribute__((noinline)) bool AddBackslashes(uint64_t mask, size_t i, size_t max, ObjectBytes* out) {
  for (; mask != 0; mask &= mask - 1) {
    if (out->backslashes.size() == max) return false;
    out->backslashes.push_back(static_cast<unsigned>(i + static_cast<size_t>(__builtin_ctzll(mask))));
  }
  return true;
}

// 64 bytes per step: the high bits or-ed into a register, one test for a backslash.
__attribute__((target("avx2"))) bool ScanAvx2(std::string_view text, size_t max, ObjectBytes* out,
                                              size_t* next) {
  const char* base = text.data();
  const __m256i backslash = _mm256_set1_epi8('\\');
  __m256i high = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 64 <= text.size(); i += 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + i + 32));
    high = _mm256_or_si256(high, _mm256_or_si256(a, b));
    const __m256i in_a = _mm256_cmpeq_epi8(a, backslash);
    const __m256i in_b = _mm256_cmpeq_epi8(b, backslash);
    const __m256i any = _mm256_or_si256(in_a, in_b);
    if (_mm256_testz_si256(any, any)) continue;
    const uint64_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(in_a)) |
                          static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(in_b))) << 32;
    if (!AddBackslashes(mask, i, max, out)) return false;
  }
  if (_mm256_movemask_epi8(high) != 0) out->ascii = false;
  *next = i;
  return true;
}
#endif

}  // namespace

bool ScanObjectBytes(std::string_view text, size_t max_backslashes, ObjectBytes* out) {
  out->backslashes.clear();
  out->ascii = true;
  size_t i = 0;
#if defined(CORDON_SIGMA_OBJECT_AVX2)
  if (CpuHasAvx2() && !ScanAvx2(text, max_backslashes, out, &i)) return false;
#endif
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) out->ascii = false;
    if (text[i] != '\\') continue;
    if (out->backslashes.size() == max_backslashes) return false;
    out->backslashes.push_back(static_cast<unsigned>(i));
  }
  return true;
}

size_t FindInObject(std::string_view text, std::string_view literal, bool cased, size_t from) {
  return FindInObjectWith(FindBest(), text, literal, cased, from);
}

FindVariant FindBest() {
#if defined(CORDON_SIGMA_OBJECT_AVX2)
  if (CpuHasAvx2()) return FindVariant::kAvx2;
#endif
  return FindVariant::kPortable;
}

size_t FindInObjectWith(FindVariant variant, std::string_view text, std::string_view literal, bool cased,
                        size_t from) {
  if (literal.empty() || literal.size() > text.size() || from > text.size() - literal.size())
    return std::string_view::npos;
#if defined(CORDON_SIGMA_OBJECT_AVX2)
  if (variant == FindVariant::kAvx2) return FindAvx2(text, literal, cased, from);
#endif
  size_t i = from;
#if defined(__SSE2__)
  const Probes p = MakeProbes(literal, cased);
  const char* base = text.data();
  for (; i + 16 + literal.size() - 1 <= text.size(); i += 16) {
    __m128i eq = _mm_set1_epi8(-1);
    for (int k = 0; k < 3; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + p.offset[k]));
      eq = _mm_and_si128(eq,
                         _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(p.fold[k])), _mm_set1_epi8(p.byte[k])));
    }
    const uint64_t mask = static_cast<uint32_t>(_mm_movemask_epi8(eq));
    if (mask == 0) continue;
    const size_t at = ConfirmMask(mask, text, i, literal, cased);
    if (at != std::string_view::npos) return at;
  }
#endif
  return FindScalar(text, i, literal, cased);
}

bool ShowsInRawBytes(std::string_view literal) {
  // The bytes outside strings in compact JSON: punctuation, numbers (with exponents), true/false/null.
  constexpr std::string_view kOutsideStrings = "{}[],:0123456789.+-eEtrufalsnTRUFALSN";
  bool inside_only = false;
  for (char c : literal) {
    if (c == '"' || c == '\\') return false;
    if (kOutsideStrings.find(c) == std::string_view::npos) inside_only = true;
  }
  return inside_only;
}

}  // namespace cordon::hunt::sigma
