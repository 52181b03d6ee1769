#include "hunt/sigma/regex_gate.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>

namespace cordon::hunt::sigma {
namespace {

char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
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
}

bool RegexGate::MayMatch(std::string_view text) const {
  if (atoms_.empty() || !IsAscii(text)) return true;
  return std::any_of(atoms_.begin(), atoms_.end(),
                     [&](const std::string& atom) { return ContainsLiteral(text, atom, false); });
}

// Candidate starts by memchr (SIMD in libc) for the first byte in both cases, then a folded compare: it
// runs on every user agent of the trail for the TruffleHog rules.
bool ContainsLiteral(std::string_view text, std::string_view literal, bool cased) {
  if (literal.empty()) return true;
  if (literal.size() > text.size()) return false;
  if (cased) return text.find(literal) != std::string_view::npos;
  const char lower = literal[0];
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 'a' + 'A') : lower;
  const char* const begin = text.data();
  const size_t last = text.size() - literal.size();  // the last start that fits
  for (size_t i = 0; i <= last;) {
    const void* a = std::memchr(begin + i, lower, last - i + 1);
    const void* b = upper == lower ? nullptr : std::memchr(begin + i, upper, last - i + 1);
    if (!a && !b) return false;
    const char* at = static_cast<const char*>(!a ? b : !b ? a : std::min(a, b));
    const size_t pos = static_cast<size_t>(at - begin);
    size_t k = 1;
    while (k < literal.size() && FoldAscii(text[pos + k]) == literal[k]) ++k;
    if (k == literal.size()) return true;
    i = pos + 1;
  }
  return false;
}

}  // namespace cordon::hunt::sigma
