#include "hunt/sigma/object_literal.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

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

// FindAllInObject's lists and what is left of its budget.
struct Hits {
  size_t left;
  std::vector<std::vector<unsigned>>* lists;
  bool Add(size_t literal, size_t at) {
    if (left == 0) return false;
    --left;
    (*lists)[literal].push_back(static_cast<unsigned>(at));
    return true;
  }
};

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

bool CpuHasAvx512Vbmi() {
  static const bool has = [] {
    __builtin_cpu_init();
    return CpuHasAvx2() && __builtin_cpu_supports("avx512f") != 0 &&
           __builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512vbmi") != 0;
  }();
  return has;
}

// How often a byte shows in CloudTrail's raw JSON, roughly (lower is rarer): the punctuation of every
// key and value, digits (times, ids, addresses), letters by their frequency in English; upper case is
// rarer when it is compared as such.
unsigned RawCommonness(char c, bool cased) {
  constexpr std::string_view kLetters = "zqxjkvbpygfwmucldrhsnioate";
  if (c >= 'A' && c <= 'Z') {
    if (cased) return 8;
    c = FoldAscii(c);
  }
  const size_t letter = kLetters.find(c);
  if (letter != std::string_view::npos) return 10 + static_cast<unsigned>(letter);
  if (c >= '0' && c <= '9') return 40;
  if (std::string_view("\":,{}").find(c) != std::string_view::npos) return 60;
  if (std::string_view("./_ -").find(c) != std::string_view::npos) return 45;
  return 5;
}

// The table pass classifies each byte and the three after it (kTableBytes): a literal is represented by
// the kTableBytes of it starting at its window, the rarest such run (its first byte's offset). A byte
// of a class is the set of literals (one bit each, kTableLiterals per pass) whose represented byte it
// can be.
constexpr size_t kTableBytes = 4;
constexpr size_t kTableLiterals = 8;

size_t TableWindow(const ObjectLiteral& literal) {
  const std::string_view text = literal.text;
  if (text.size() <= kTableBytes) return 0;
  size_t best = 0;
  unsigned best_score = ~0u;
  for (size_t w = 0; w + kTableBytes <= text.size(); ++w) {
    unsigned score = 0;
    for (size_t k = 0; k < kTableBytes; ++k) score += RawCommonness(text[w + k], literal.cased);
    if (score < best_score) best = w, best_score = score;
  }
  return best;
}

// Appends the confirmed starts of the candidates of a 64-byte block at `i` (class bytes `cls`; bit k of
// `any`: byte i + k's class is not empty). `skip_below`: a literal's starts before it are another
// loop's. Out of the pass's way: most blocks have none.
__attribute__((noinline)) bool AddTableHits(uint64_t any, const uint8_t* cls, size_t i, std::string_view text,
                                            const ObjectLiteral* literals, const size_t* first,
                                            const size_t* window, const size_t* skip_below, size_t count,
                                            Hits* hits) {
  for (; any != 0; any &= any - 1) {
    const size_t j = i + static_cast<size_t>(__builtin_ctzll(any));
    for (unsigned bits = cls[j - i]; bits != 0; bits &= bits - 1) {
      const size_t l = static_cast<size_t>(__builtin_ctz(bits));
      if (l >= count || j < window[l] + skip_below[l]) continue;
      const size_t at = j - window[l];
      const std::string_view literal = literals[l].text;
      if (at + literal.size() > text.size() || !ConfirmAt(text, at, literal, literals[l].cased)) continue;
      if (!hits->Add(first[l], at)) return false;
    }
  }
  return true;
}

// A vector of byte k + `shift` of a ++ b (shift < 64).
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline)) inline __m512i Shifted(__m512i a,
                                                                                             __m512i b,
                                                                                             __m512i index) {
  return _mm512_permutex2var_epi8(a, index, b);
}

// The class of each byte of `v` from a 128-entry table (two vectors; a byte's top bit is ignored, so a
// byte >= 0x80 takes an ASCII byte's class: a candidate more, never one fewer).
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline)) inline __m512i Classify(__m512i v,
                                                                                              __m512i low,
                                                                                              __m512i high) {
  return _mm512_permutex2var_epi8(low, v, high);
}

// One pass for `count` (<= kTableLiterals) literals, all longer than 0 and at most text.size(), hits
// of literal l into lists[first[l]]: the blocks from the first 64-byte aligned byte (aligned loads, each
// byte loaded once; the windows one after another come from two blocks by a permute), with the starts
// before and after the blocks found one literal at a time.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) bool FindGroupAvx512(std::string_view text,
                                                                            const ObjectLiteral* literals,
                                                                            const size_t* first, size_t count,
                                                                            Hits* hits) {
  alignas(64) uint8_t table[kTableBytes][128] = {};
  size_t window[kTableLiterals] = {};
  for (size_t l = 0; l < count; ++l) {
    window[l] = TableWindow(literals[l]);
    const uint8_t bit = static_cast<uint8_t>(1u << l);
    for (size_t k = 0; k < kTableBytes; ++k) {
      if (window[l] + k >= literals[l].text.size()) {  // a literal shorter than the run: any byte
        for (uint8_t& entry : table[k]) entry |= bit;
        continue;
      }
      const char c = literals[l].text[window[l] + k];
      table[k][static_cast<unsigned char>(c) & 127] |= bit;
      if (!literals[l].cased && IsLetter(c)) table[k][static_cast<unsigned char>(c ^ 0x20) & 127] |= bit;
    }
  }
  __m512i low[kTableBytes];
  __m512i high[kTableBytes];
  __m512i index[kTableBytes];
  alignas(64) uint8_t shift[64];
  for (size_t k = 0; k < kTableBytes; ++k) {
    low[k] = _mm512_load_si512(table[k]);
    high[k] = _mm512_load_si512(table[k] + 64);
    for (size_t b = 0; b < 64; ++b) shift[b] = static_cast<uint8_t>(b + k);
    index[k] = _mm512_load_si512(shift);
  }
  const char* base = text.data();
  const size_t head = std::min(text.size(), (64 - (reinterpret_cast<uintptr_t>(base) & 63)) & 63);
  size_t skip_below[kTableLiterals] = {};  // the starts before the blocks' first
  for (size_t l = 0; l < count; ++l) {
    skip_below[l] = head > window[l] ? head - window[l] : 0;
    const std::string_view literal = literals[l].text;
    for (size_t at = 0; at < skip_below[l] && at + literal.size() <= text.size(); ++at) {
      if (ConfirmAt(text, at, literal, literals[l].cased) && !hits->Add(first[l], at)) return false;
    }
  }
  size_t i = head;
  if (text.size() >= 128 && i <= text.size() - 128) {
    alignas(64) uint8_t cls[64];
    __m512i a = _mm512_load_si512(base + i);
    for (; i + 128 <= text.size(); i += 64) {
      const __m512i b = _mm512_load_si512(base + i + 64);
      const __m512i c0 = Classify(a, low[0], high[0]);
      const __m512i c1 = Classify(Shifted(a, b, index[1]), low[1], high[1]);
      const __m512i c2 = Classify(Shifted(a, b, index[2]), low[2], high[2]);
      const __m512i c3 = Classify(Shifted(a, b, index[3]), low[3], high[3]);
      const __m512i c = _mm512_and_si512(_mm512_ternarylogic_epi32(c0, c1, c2, 0x80), c3);  // c0 & c1 & c2
      a = b;
      const uint64_t any = _mm512_test_epi8_mask(c, c);
      if (any == 0) continue;
      _mm512_store_si512(cls, c);
      if (!AddTableHits(any, cls, i, text, literals, first, window, skip_below, count, hits)) return false;
    }
  }
  // The starts whose run begins at or after i.
  for (size_t l = 0; l < count; ++l) {
    const std::string_view literal = literals[l].text;
    const size_t from = std::max(skip_below[l], i > window[l] ? i - window[l] : 0);
    for (size_t at = FindAvx2(text, literal, literals[l].cased, from); at != std::string_view::npos;
         at = FindAvx2(text, literal, literals[l].cased, at + 1)) {
      if (!hits->Add(first[l], at)) return false;
    }
  }
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
  if (CpuHasAvx512Vbmi()) return FindVariant::kAvx512;
  if (CpuHasAvx2()) return FindVariant::kAvx2;
#endif
  return FindVariant::kPortable;
}

bool FindAllInObject(std::string_view text, const std::vector<ObjectLiteral>& literals, size_t max_hits,
                     std::vector<std::vector<unsigned>>* hits) {
  return FindAllInObjectWith(FindBest(), text, literals, max_hits, hits);
}

bool FindAllInObjectWith(FindVariant variant, std::string_view text,
                         const std::vector<ObjectLiteral>& literals, size_t max_hits,
                         std::vector<std::vector<unsigned>>* hits) {
  hits->assign(literals.size(), {});
  Hits out{max_hits, hits};
  // The literals that can occur, in passes of kTableLiterals.
  std::vector<ObjectLiteral> group;
  std::vector<size_t> first;
  for (size_t l = 0; l < literals.size(); ++l) {
    if (literals[l].text.empty() || literals[l].text.size() > text.size()) continue;
#if defined(CORDON_SIGMA_OBJECT_AVX2)
    if (variant == FindVariant::kAvx512) {
      group.push_back(literals[l]);
      first.push_back(l);
      if (group.size() < kTableLiterals && l + 1 < literals.size()) continue;
      if (!FindGroupAvx512(text, group.data(), first.data(), group.size(), &out)) return false;
      group.clear();
      first.clear();
      continue;
    }
#endif
    const ObjectLiteral& literal = literals[l];
    for (size_t at = FindInObjectWith(variant, text, literal.text, literal.cased, 0);
         at != std::string_view::npos;
         at = FindInObjectWith(variant, text, literal.text, literal.cased, at + 1)) {
      if (!out.Add(l, at)) return false;
    }
  }
#if defined(CORDON_SIGMA_OBJECT_AVX2)
  if (!group.empty() && !FindGroupAvx512(text, group.data(), first.data(), group.size(), &out)) return false;
#endif
  return true;
}

size_t FindInObjectWith(FindVariant variant, std::string_view text, std::string_view literal, bool cased,
                        size_t from) {
  if (literal.empty() || literal.size() > text.size() || from > text.size() - literal.size())
    return std::string_view::npos;
#if defined(CORDON_SIGMA_OBJECT_AVX2)
  if (variant == FindVariant::kAvx2 || variant == FindVariant::kAvx512)
    return FindAvx2(text, literal, cased, from);
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
