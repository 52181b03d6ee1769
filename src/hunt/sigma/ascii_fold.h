// ASCII case folding for the Sigma matcher's byte scans. Sigma's values are case-insensitive by
// default, and the scans compare raw CloudTrail bytes one at a time, so the fold must be a plain
// branch on 'A'..'Z': std::tolower reads the locale, and the UTF-8 bytes of other letters are never
// folded (the matcher's slow path handles those).
#pragma once

#include <string>

namespace cordon::hunt::sigma {

constexpr char FoldAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline void FoldAsciiInPlace(std::string& text) {
  for (char& c : text) c = FoldAscii(c);
}

}  // namespace cordon::hunt::sigma
