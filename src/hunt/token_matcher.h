// A literal, delimited multi-string search: where does any of a few selector strings occur as a whole token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt {

// Finds the delimited occurrences of a small set of literal tokens (IPs, instance ids, ENI ids, access keys,
// role names) in raw bytes, without parsing them. An occurrence counts only when the characters on both
// sides cannot continue a token: `10.0.3.8` does not hit `10.0.3.80` or `110.0.3.8`, and `i-0abc` does not
// hit `i-0abcd`. Continuation characters are letters, digits, '-', '_', and a '.' that is followed
// (after the token) or preceded (before it) by a letter or digit. Matching is case-sensitive.
//
// This is the prefilter: every place the exact rules of the readers can match is a hit here, so a record
// with no hit is never parsed. Thread-safe after construction (all methods are const).
class TokenMatcher {
 public:
  struct Hit {
    size_t offset;   // byte offset of the token's first character in the scanned text
    uint32_t token;  // index into tokens()
  };

  // Empty tokens are ignored; duplicates are kept once.
  explicit TokenMatcher(std::vector<std::string> tokens);

  const std::vector<std::string>& tokens() const { return tokens_; }
  bool empty() const { return tokens_.empty(); }

  // Every delimited occurrence of every token, sorted by offset. With more than max_hits of them, stops
  // early and returns max_hits + 1 hits (not the first ones in order): the caller decides what then.
  std::vector<Hit> FindAll(std::string_view text, size_t max_hits = SIZE_MAX) const;
  // Whether any token occurs delimited in `text`; stops at the first.
  bool ContainsAny(std::string_view text) const;
  // Whether `token` occurs delimited in `text` (the token need not be one of tokens()).
  static bool ContainsToken(std::string_view text, std::string_view token);
  // Whether text[pos, pos+len) is delimited on both sides.
  static bool IsDelimited(std::string_view text, size_t pos, size_t len);

 private:
  std::vector<std::string> tokens_;
};

namespace detail {
// Offset of the first occurrence of `needle` in `hay` at or after `from` (delimited or not), or npos.
// A SIMD filter on the needle's first, middle and last byte plus memcmp: AVX2 when the CPU has it (checked
// once at run time), else SSE2 (every x86-64 CPU), else scalar.
size_t FindLiteral(std::string_view hay, std::string_view needle, size_t from);
// The same without the AVX2 kernel; exposed so tests cover the baseline on machines that have AVX2.
size_t FindLiteralBaseline(std::string_view hay, std::string_view needle, size_t from);
}  // namespace detail

}  // namespace cordon::hunt
