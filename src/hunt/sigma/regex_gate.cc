#include "hunt/sigma/regex_gate.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>

#include "hunt/sigma/ascii_fold.h"

namespace cordon::hunt::sigma {
namespace {

// Without an early exit, so that the compiler checks many bytes per step: it runs on every ARN.
bool IsAscii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

}  // namespace

RegexGate::RegexGate(const re2::RE2& regex) {
  re2::FilteredRE2 filter(/*min_atom_len=*/3);
  int id = 0;
  if (filter.Add(regex.pattern(), regex.options(), &id) != re2::RE2::NoError) return;
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  // The prefilter is an and/or of the atoms' presence, so with none present it fails, unless the regex is
  // "unfiltered" (it passes with no atom at all: then there is no gate).
  std::vector<int> without_atoms;
  filter.AllPotentials({}, &without_atoms);
  if (atoms.empty() || !without_atoms.empty()) return;
  if (!std::all_of(atoms.begin(), atoms.end(), [](const std::string& a) { return IsAscii(a); })) return;
  atoms_ = std::move(atoms);
  for (const std::string& atom : atoms_) anchors_.push_back(RarestByte(atom));
}

bool RegexGate::MayMatch(std::string_view text) const {
  if (atoms_.empty() || !IsAscii(text)) return true;
  for (size_t i = 0; i < atoms_.size(); ++i) {
    if (ContainsLiteral(text, atoms_[i], false, anchors_[i])) return true;
  }
  return false;
}

namespace {

// How common a byte is in CloudTrail values (lower is rarer): punctuation other than the separators of
// ARNs, paths and versions first, then letters from the rarest in English text, then digits and the
// separators (an ARN holds five colons). A table: it is read for every byte of the literal per call.
struct CommonnessTable {
  unsigned char rank[256] = {};
  constexpr CommonnessTable() {
    constexpr std::string_view kLetters = "zqxjkvbpygfwmucldrhsnioate";
    for (size_t i = 0; i < kLetters.size(); ++i) rank[static_cast<unsigned char>(kLetters[i])] = 10 + i;
    for (char c = '0'; c <= '9'; ++c) rank[static_cast<unsigned char>(c)] = 40;
    for (char c : std::string_view(":/._ ")) rank[static_cast<unsigned char>(c)] = 50;
    rank[static_cast<unsigned char>('-')] = 5;
  }
};
constexpr CommonnessTable kCommonness;

unsigned Commonness(char c) { return kCommonness.rank[static_cast<unsigned char>(c)]; }

}  // namespace

// Candidate starts by memchr (SIMD in libc) for the literal's rarest byte (Commonness), in both cases,
// then a folded compare: it runs on every ARN (the IMDS rule's `:assumed-role/aws:`) and user agent (the
// TruffleHog rules) of the trail, where a memchr per colon cost more than the compare.
size_t RarestByte(std::string_view literal) {
  size_t anchor = 0;
  for (size_t k = 1; k < literal.size(); ++k) {
    if (Commonness(literal[k]) < Commonness(literal[anchor])) anchor = k;
  }
  return anchor;
}

bool ContainsLiteral(std::string_view text, std::string_view literal, bool cased) {
  return ContainsLiteral(text, literal, cased, RarestByte(literal));
}

bool ContainsLiteral(std::string_view text, std::string_view literal, bool cased, size_t anchor) {
  if (literal.empty()) return true;
  if (literal.size() > text.size()) return false;
  if (cased) return text.find(literal) != std::string_view::npos;
  const char lower = literal[anchor];
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 'a' + 'A') : lower;
  const char* const begin = text.data();
  const size_t last = text.size() - literal.size();  // the last start that fits
  for (size_t i = 0; i <= last;) {
    // The anchor byte of a start in [i, last].
    const size_t span = last - i + 1;
    const void* a = std::memchr(begin + i + anchor, lower, span);
    const void* b = upper == lower ? nullptr : std::memchr(begin + i + anchor, upper, span);
    if (!a && !b) return false;
    const char* at = static_cast<const char*>(!a ? b : !b ? a : std::min(a, b));
    const size_t pos = static_cast<size_t>(at - begin) - anchor;
    size_t k = 0;
    while (k < literal.size() && FoldAscii(text[pos + k]) == literal[k]) ++k;
    if (k == literal.size()) return true;
    i = pos + 1;
  }
  return false;
}

}  // namespace cordon::hunt::sigma
