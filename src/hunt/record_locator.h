// Finds the records of a CloudTrail delivery object (`{"Records":[...]}`) that hold given offsets, from
// one SIMD pass over the object's quotes, backslashes and brackets: no structural index, no UTF-8
// validation, no walk through the records before them. For whole-trail Sigma, where a few records of
// each object hold a rule's trigger and the parser's indexing and walk of every record cost about half a
// decompression.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::hunt {

// A record's span: [first, second), from its `{` to just past its `}`.
using RecordSpan = std::pair<size_t, size_t>;

// Replaces *spans with the spans (ascending) of the records of `text` that hold one of `offsets`
// (ascending), as a JSON parser would delimit them when the object is valid JSON: the elements of the
// array that is the value of the root's first member, named "Records". Returns false (*spans unspecified)
// when it cannot say: the text does not start that way, an offset lies outside every element or in an
// element that is not an object, or the array is not closed before the last offset (brackets unbalanced
// or a string unterminated). The caller then reads the object with the parser, which says what is wrong.
// Offsets after the array's end are not in a record and are ignored, as the parser ignores the root's
// other members. It does not validate what it skips: a record it returns is parsed on its own later.
// The classification of bytes is AVX-512BW or AVX2 when the CPU has it (checked once at run time), else
// SSE2.
bool LocateRecords(std::string_view text, const std::vector<size_t>& offsets, std::vector<RecordSpan>* spans);

namespace detail {
// The same without the SIMD kernels, and with AVX2 at most (the baseline on a CPU without it); exposed so
// tests cover every kernel on machines that have AVX-512.
bool LocateRecordsBaseline(std::string_view text, const std::vector<size_t>& offsets,
                           std::vector<RecordSpan>* spans);
bool LocateRecordsAvx2(std::string_view text, const std::vector<size_t>& offsets,
                       std::vector<RecordSpan>* spans);
}  // namespace detail

}  // namespace cordon::hunt
