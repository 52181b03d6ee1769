// A Sigma string value as a pattern: literal text with `*` and `?` wildcards, matched case-insensitively
// unless cased (Sigma specification, "String Wildcard" and "Escape Character").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt::sigma {

class Pattern {
 public:
  // One piece of a parsed value: a literal run, `?` (one character) or `*` (any run, also empty).
  struct Piece {
    enum class Kind { kLiteral, kOne, kAny } kind;
    std::string text;  // kLiteral only; lower-cased when the pattern is case-insensitive
  };

  Pattern() = default;
  // Parses a Sigma string: `*` and `?` are wildcards, `\*` `\?` `\\` are the plain characters, a backslash
  // before anything else is itself (so `C:\Windows` needs no escaping).
  static Pattern Parse(std::string_view sigma_text, bool cased);
  // A pattern that matches `text` exactly (no wildcards): for values produced by encodings (base64...).
  static Pattern Literal(std::string_view text, bool cased);

  // Adds `*` at the start or end unless one is already there (contains, startswith, endswith).
  void AnyPrefix();
  void AnySuffix();

  // Whether the whole of `text` matches. Case folding is ASCII only: CloudTrail's names and values are
  // ASCII, and a non-ASCII byte is compared exactly. `?` takes one UTF-8 character.
  bool Matches(std::string_view text) const;

  const std::vector<Piece>& pieces() const { return pieces_; }
  bool cased() const { return cased_; }
  // The plain text when the pattern has no wildcard (for the prefilter and equality lookups).
  bool IsLiteral() const;
  std::string LiteralText() const;

 private:
  bool MatchFrom(size_t piece, std::string_view text) const;
  void AddLiteral(std::string_view text);

  std::vector<Piece> pieces_;
  bool cased_ = false;
};

}  // namespace cordon::hunt::sigma
