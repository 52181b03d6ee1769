#include "hunt/record_locator.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CORDON_HUNT_LOCATOR_AVX2 1
#endif

namespace cordon::hunt {
namespace {

// Bit i of each mask is byte i of a 64-byte block.
struct Masks {
  uint64_t quote = 0;
  uint64_t backslash = 0;
  uint64_t open = 0;   // { or [
  uint64_t close = 0;  // } or ]
};

#if defined(__SSE2__)
Masks Classify(const char* p) {
  Masks m;
  // c | 0x20 turns '[' (0x5b) into '{' (0x7b) and ']' (0x5d) into '}' (0x7d), and no other byte into them.
  const __m128i lower = _mm_set1_epi8(0x20);
  for (ptrdiff_t i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i folded = _mm_or_si128(v, lower);
    auto bits = [&](__m128i eq) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(eq))) << (16 * i);
    };
    m.quote |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    m.backslash |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    m.open |= bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')));
    m.close |= bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8('}')));
  }
  return m;
}
#else
Masks Classify(const char* p) {
  Masks m;
  for (int i = 0; i < 64; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    const char c = p[i];
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if (c == '{' || c == '[') m.open |= bit;
    if (c == '}' || c == ']') m.close |= bit;
  }
  return m;
}
#endif

#if defined(CORDON_HUNT_LOCATOR_AVX2)
// The same with 32-byte compares: half the instructions. A lambda would not inherit target("avx2").
__attribute__((target("avx2"))) Masks ClassifyAvx2(const char* p) {
  Masks m;
  const __m256i lower = _mm256_set1_epi8(0x20);
  for (ptrdiff_t i = 0; i < 2; ++i) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    const __m256i folded = _mm256_or_si256(v, lower);
    const auto shift = 32 * i;
    m.quote |= static_cast<uint64_t>(
                   static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')))))
               << shift;
    m.backslash |= static_cast<uint64_t>(static_cast<uint32_t>(
                       _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')))))
                   << shift;
    m.open |= static_cast<uint64_t>(static_cast<uint32_t>(
                  _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{')))))
              << shift;
    m.close |= static_cast<uint64_t>(static_cast<uint32_t>(
                   _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}')))))
               << shift;
  }
  return m;
}

// With AVX-512BW each compare gives its 64-bit mask directly: four compares per block.
__attribute__((target("avx512f,avx512bw"))) Masks ClassifyAvx512(const char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  const __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
  Masks m;
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m.backslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
  m.open = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('{'));
  m.close = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('}'));
  return m;
}

// The AVX2 walk also uses POPCNT and PCLMULQDQ (every AVX2 CPU has both; checked all the same).
bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("popcnt") != 0 &&
           __builtin_cpu_supports("pclmul") != 0;
  }();
  return has;
}

bool CpuHasAvx512() {
  static const bool has = [] {
    __builtin_cpu_init();
    return CpuHasAvx2() && __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0;
  }();
  return has;
}
#endif

// Bit i set when bits 0..i of x hold an odd number of ones: inside a string, between the quotes.
uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

#if defined(CORDON_HUNT_LOCATOR_AVX2)
// The same as one carry-less multiplication by all ones (simdjson's way): one instruction for twelve.
__attribute__((target("pclmul"))) uint64_t PrefixXorClmul(uint64_t x) {
  const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(x)),
                                               _mm_set1_epi8(static_cast<char>(0xFF)), 0);
  return static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}
#endif

// The bytes escaped by a backslash. *carry is bit 0 when the previous block ended in an escaping
// backslash; set for the next block. Backslashes are rare (escaped quotes in policy documents), so one
// step per backslash is enough.
uint64_t Escaped(uint64_t backslash, uint64_t* carry) {
  uint64_t escaped = *carry;
  *carry = 0;
  while (backslash != 0) {
    const int b = __builtin_ctzll(backslash);
    backslash &= backslash - 1;
    if ((escaped >> b) & 1) continue;  // an escaped backslash escapes nothing
    if (b == 63) {
      *carry = 1;
    } else {
      escaped |= uint64_t{1} << (b + 1);
    }
  }
  return escaped;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The offset just past the `[` of `{"Records":[`, or 0 when the text does not start so.
size_t ArrayStart(std::string_view text) {
  size_t i = 0;
  auto skip = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  auto expect = [&](std::string_view s) {
    skip();
    if (text.substr(i, s.size()) != s) return false;
    i += s.size();
    return true;
  };
  if (!expect("{") || !expect("\"Records\"") || !expect(":") || !expect("[")) return 0;
  return i;
}

}  // namespace

namespace {

// The walk, inlined into each of its two callers below: the AVX2 one also has POPCNT (every AVX2 CPU
// does; without it __builtin_popcountll is a libgcc call per block) and ClassifyAvx2 inlined.
enum class Kernel { kBaseline, kAvx2, kAvx512 };

template <Kernel kKernel>
__attribute__((always_inline)) inline bool Walk(std::string_view text, const std::vector<size_t>& offsets,
                                                std::vector<RecordSpan>* spans) {
  spans->clear();
  const size_t start = ArrayStart(text);
  if (start == 0) return false;
  size_t next = 0;  // the first offset not yet placed in a record
  while (next < offsets.size() && offsets[next] < start) ++next;  // before the array: `"Records"` itself
  if (next > 0) return false;
  if (offsets.empty()) return true;
  int depth = 0;  // 0: in the array between elements; 1: in an element; more: nested
  size_t element = 0;
  bool element_is_object = false;
  uint64_t escape_carry = 0;
  uint64_t in_string_carry = 0;  // all ones when the previous block ended inside a string
  char tail[64];
  for (size_t block = start; block < text.size(); block += 64) {
    const char* p = text.data() + block;
    if (text.size() - block < 64) {
      std::memset(tail, ' ', sizeof(tail));
      std::memcpy(tail, p, text.size() - block);
      p = tail;
    }
    Masks m;
#if defined(CORDON_HUNT_LOCATOR_AVX2)
    if constexpr (kKernel == Kernel::kAvx512) {
      m = ClassifyAvx512(p);
    } else if constexpr (kKernel == Kernel::kAvx2) {
      m = ClassifyAvx2(p);
    } else {
      m = Classify(p);
    }
#else
    m = Classify(p);
#endif
    const uint64_t escaped = (m.backslash | escape_carry) != 0 ? Escaped(m.backslash, &escape_carry) : 0;
    uint64_t in_string = 0;
#if defined(CORDON_HUNT_LOCATOR_AVX2)
    if constexpr (kKernel != Kernel::kBaseline) {
      in_string = PrefixXorClmul(m.quote & ~escaped) ^ in_string_carry;
    } else {
      in_string = PrefixXor(m.quote & ~escaped) ^ in_string_carry;
    }
#else
    in_string = PrefixXor(m.quote & ~escaped) ^ in_string_carry;
#endif
    in_string_carry = static_cast<uint64_t>(static_cast<int64_t>(in_string) >> 63);
    const uint64_t opens = m.open & ~in_string;
    const uint64_t closes = m.close & ~in_string;
    // Inside a record's nesting, where even all of the block's closing brackets first would not end the
    // element, the block only moves the depth: no element starts or ends in it (most blocks of a record).
    const int close_count = __builtin_popcountll(closes);
    if (depth > close_count) {
      depth += __builtin_popcountll(opens) - close_count;
      continue;
    }
    for (uint64_t brackets = opens | closes; brackets != 0; brackets &= brackets - 1) {
      const int b = __builtin_ctzll(brackets);
      const size_t at = block + static_cast<size_t>(b);
      if ((m.open >> b) & 1) {
        if (depth++ == 0) {
          element = at;
          element_is_object = text[at] == '{';
        }
        continue;
      }
      if (depth == 0) {  // the array's end: later offsets are not in a record
        return text[at] == ']' && offsets[next] > at;
      }
      if (--depth > 0) continue;
      // The end of an element: it holds the offsets in [element, at].
      if (offsets[next] < element) return false;  // between elements, or in one without brackets
      if (offsets[next] > at) continue;
      if (!element_is_object) return false;
      spans->emplace_back(element, at + 1);
      while (next < offsets.size() && offsets[next] <= at) ++next;
      if (next == offsets.size()) return true;
    }
  }
  return false;  // the array is not closed before the last offset
}

bool LocateBaseline(std::string_view text, const std::vector<size_t>& offsets,
                    std::vector<RecordSpan>* spans) {
  return Walk<Kernel::kBaseline>(text, offsets, spans);
}

#if defined(CORDON_HUNT_LOCATOR_AVX2)
__attribute__((target("avx2,popcnt,pclmul"))) bool LocateAvx2(std::string_view text,
                                                              const std::vector<size_t>& offsets,
                                                              std::vector<RecordSpan>* spans) {
  return Walk<Kernel::kAvx2>(text, offsets, spans);
}

__attribute__((target("avx512f,avx512bw,avx2,popcnt,pclmul"))) bool LocateAvx512(
    std::string_view text, const std::vector<size_t>& offsets, std::vector<RecordSpan>* spans) {
  return Walk<Kernel::kAvx512>(text, offsets, spans);
}
#endif

}  // namespace

bool LocateRecords(std::string_view text, const std::vector<size_t>& offsets,
                   std::vector<RecordSpan>* spans) {
#if defined(CORDON_HUNT_LOCATOR_AVX2)
  if (CpuHasAvx512()) return LocateAvx512(text, offsets, spans);
  if (CpuHasAvx2()) return LocateAvx2(text, offsets, spans);
#endif
  return LocateBaseline(text, offsets, spans);
}

namespace detail {
bool LocateRecordsBaseline(std::string_view text, const std::vector<size_t>& offsets,
                           std::vector<RecordSpan>* spans) {
  return LocateBaseline(text, offsets, spans);
}

bool LocateRecordsAvx2(std::string_view text, const std::vector<size_t>& offsets,
                       std::vector<RecordSpan>* spans) {
#if defined(CORDON_HUNT_LOCATOR_AVX2)
  if (CpuHasAvx2()) return LocateAvx2(text, offsets, spans);
#endif
  return LocateBaseline(text, offsets, spans);
}
}  // namespace detail

}  // namespace cordon::hunt
