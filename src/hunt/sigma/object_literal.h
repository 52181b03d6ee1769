// Whole-object searches that let the prefilter find a value need's records without its key: a literal
// every value of the need holds (`trufflehog` of the TruffleHog rules, `:assumed-role/aws:` of the IMDS
// rule's regex, `assumedrole`) is searched for in the whole object, and only the records holding it, or
// a backslash, can satisfy the need; the key's occurrences (every record's user agent, ARN and type)
// are never read. The backslashes and non-ASCII bytes are what can make a record's parsed values differ
// from its raw bytes, so they are found first, in one pass.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace cordon::hunt::sigma {

// What one pass over an object's bytes found.
struct ObjectBytes {
  std::vector<unsigned> backslashes;  // the offset of each '\\', ascending
  bool ascii = true;                  // no byte >= 0x80
};

// Scans `text` (at most 4 GiB). False, with the lists unspecified, when it holds more than
// `max_backslashes` backslashes.
bool ScanObjectBytes(std::string_view text, size_t max_backslashes, ObjectBytes* out);

// The first offset at or after `from` where `literal` occurs in `text`, or npos (also for an empty
// literal): compared exactly when `cased`, else with ASCII letters compared without case (`literal` is
// then lower-case, as Pattern and RegexGate keep theirs). SIMD over the whole text, three of the
// literal's bytes compared per start.
size_t FindInObject(std::string_view text, std::string_view literal, bool cased, size_t from);

// A literal of FindAllInObject: compared exactly when `cased`, else lower-case and compared without
// case (as FindInObject's).
struct ObjectLiteral {
  std::string_view text;
  bool cased = false;
};

// Every offset where each of `literals` occurs in `text` (at most 4 GiB), overlapping occurrences
// included, ascending, into (*hits)[k] for literals[k] (none for an empty literal). False, with *hits
// unspecified, when they come to more than `max_hits` offsets in all. With AVX-512 VBMI, one pass for up
// to eight literals: four table lookups classify each byte and the three bytes after it at once for all
// of them (FindInObject's three probes cost about as much per literal as the lookups for eight);
// otherwise one FindInObject search per literal.
bool FindAllInObject(std::string_view text, const std::vector<ObjectLiteral>& literals, size_t max_hits,
                     std::vector<std::vector<unsigned>>* hits);

// The same with a given instruction set (the tests run each the CPU has): AVX-512 VBMI (FindAllInObject's
// table pass; FindInObjectWith then runs the AVX2 search), AVX2, or SSE2 (plain C++ off x86-64). A
// single-literal AVX-512BW search chaining the probes by masked compares was only 4% faster than the
// AVX2 one on the benchmark machine's AMD EPYC (perf share of the searches) and was dropped.
enum class FindVariant { kPortable, kAvx2, kAvx512 };
FindVariant FindBest();  // the best this CPU has: FindInObject's and FindAllInObject's
size_t FindInObjectWith(FindVariant variant, std::string_view text, std::string_view literal, bool cased,
                        size_t from);
bool FindAllInObjectWith(FindVariant variant, std::string_view text,
                         const std::vector<ObjectLiteral>& literals, size_t max_hits,
                         std::vector<std::vector<unsigned>>* hits);

// Whether a record whose matcher texts (event.h's CandidateTexts: a string, a number's or boolean's JSON
// token, an object's compact JSON text and its strings) hold `literal` must hold it in its raw bytes too,
// unless it has a backslash: true when the literal has no quote or backslash (so it lies inside one
// string's text) and a byte that no number, `true`, `false`, `null`, or JSON punctuation has.
bool ShowsInRawBytes(std::string_view literal);

}  // namespace cordon::hunt::sigma
