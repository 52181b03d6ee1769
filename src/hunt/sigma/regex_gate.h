// A literal test that rules out most texts before RE2 runs: `re` values are tried on every occurrence of
// their key in the trail (every userIdentity.arn for SigmaHQ's IMDS rule), and most texts lack a literal
// every match needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace cordon::hunt::sigma {

class RegexGate {
 public:
  // The literals come from RE2's own analysis (FilteredRE2's atoms): a match holds at least one of them.
  // A regex without such literals gets an open gate.
  explicit RegexGate(const re2::RE2& regex);

  // False only when `text` cannot match the regex (it holds none of the literals, compared ignoring
  // ASCII case). A text with a non-ASCII byte always passes: the atoms are lower-cased by Unicode rules.
  bool MayMatch(std::string_view text) const;
  bool open() const { return atoms_.empty(); }
  // Lower-case ASCII; a match of the regex in an ASCII text holds one of them, compared without case.
  const std::vector<std::string>& atoms() const { return atoms_; }

 private:
  std::vector<std::string> atoms_;  // lower-case ASCII
  std::vector<size_t> anchors_;     // each atom's RarestByte
};

// Whether `literal` occurs in `text`: exactly when `cased`, else with the text's bytes folded to ASCII
// lower case (as Pattern folds; `literal` is then lower-case).
bool ContainsLiteral(std::string_view text, std::string_view literal, bool cased);
// The same with the literal's RarestByte given: the callers on every key occurrence compute it once.
bool ContainsLiteral(std::string_view text, std::string_view literal, bool cased, size_t anchor);
// The offset of the byte of `literal` least common in CloudTrail values, where a search starts looking.
size_t RarestByte(std::string_view literal);

}  // namespace cordon::hunt::sigma
