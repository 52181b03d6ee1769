#include "hunt/sigma/pattern.h"

#include <algorithm>

#include "base/strings.h"
#include "hunt/sigma/ascii_fold.h"

namespace cordon::hunt::sigma {

namespace {

// Length of the UTF-8 character starting with byte `lead` (1 for a stray continuation byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

bool LiteralAt(std::string_view text, size_t pos, std::string_view literal, bool cased) {
  if (text.size() - pos < literal.size()) return false;
  for (size_t i = 0; i < literal.size(); ++i) {
    const char c = cased ? text[pos + i] : FoldAscii(text[pos + i]);
    if (c != literal[i]) return false;
  }
  return true;
}

}  // namespace

void Pattern::AddLiteral(std::string_view text) {
  if (text.empty()) return;
  std::string piece = cased_ ? std::string(text) : ToLower(text);
  if (!pieces_.empty() && pieces_.back().kind == Piece::Kind::kLiteral) {
    pieces_.back().text += piece;
  } else {
    pieces_.push_back({Piece::Kind::kLiteral, std::move(piece)});
  }
}

Pattern Pattern::Parse(std::string_view s, bool cased) {
  Pattern p;
  p.cased_ = cased;
  std::string run;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      run += s[++i];
    } else if (c == '*' || c == '?') {
      p.AddLiteral(run);
      run.clear();
      const Piece::Kind kind = c == '*' ? Piece::Kind::kAny : Piece::Kind::kOne;
      // Consecutive `*` are one: keeps matching linear in the common `**` of contains on `*`.
      if (!(kind == Piece::Kind::kAny && !p.pieces_.empty() && p.pieces_.back().kind == Piece::Kind::kAny)) {
        p.pieces_.push_back({kind, {}});
      }
    } else {
      run += c;
    }
  }
  p.AddLiteral(run);
  return p;
}

Pattern Pattern::Literal(std::string_view text, bool cased) {
  Pattern p;
  p.cased_ = cased;
  p.AddLiteral(text);
  return p;
}

void Pattern::AnyPrefix() {
  if (pieces_.empty() || pieces_.front().kind != Piece::Kind::kAny)
    pieces_.insert(pieces_.begin(), {Piece::Kind::kAny, {}});
}

void Pattern::AnySuffix() {
  if (pieces_.empty() || pieces_.back().kind != Piece::Kind::kAny) pieces_.push_back({Piece::Kind::kAny, {}});
}

bool Pattern::IsLiteral() const {
  return std::all_of(pieces_.begin(), pieces_.end(),
                     [](const Piece& p) { return p.kind == Piece::Kind::kLiteral; });
}

std::string Pattern::LiteralText() const { return pieces_.empty() ? std::string() : pieces_.front().text; }

bool Pattern::Matches(std::string_view text) const {
  // A plain value (most of the rules' values, tested on every occurrence of their keys): its size decides
  // most texts before a byte is compared.
  if (pieces_.size() == 1 && pieces_[0].kind == Piece::Kind::kLiteral) {
    return text.size() == pieces_[0].text.size() && LiteralAt(text, 0, pieces_[0].text, cased_);
  }
  return MatchFrom(0, text);
}

// Backtracking only at `*`, over the literal that follows it: values are short (CloudTrail fields), and
// consecutive stars were merged, so this stays far from the exponential cases.
bool Pattern::MatchFrom(size_t piece, std::string_view text) const {
  size_t pos = 0;
  for (size_t i = piece; i < pieces_.size(); ++i) {
    const Piece& p = pieces_[i];
    switch (p.kind) {
      case Piece::Kind::kLiteral:
        if (!LiteralAt(text, pos, p.text, cased_)) return false;
        pos += p.text.size();
        break;
      case Piece::Kind::kOne:
        if (pos >= text.size()) return false;
        pos += std::min(Utf8Length(static_cast<unsigned char>(text[pos])), text.size() - pos);
        break;
      case Piece::Kind::kAny:
        if (i + 1 == pieces_.size()) return true;
        for (size_t start = pos; start <= text.size(); ++start) {
          if (MatchFrom(i + 1, text.substr(start))) return true;
        }
        return false;
    }
  }
  return pos == text.size();
}

}  // namespace cordon::hunt::sigma
