#include "aws/jmespath/lexer.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

namespace cordon::jmespath::detail {
namespace {

bool IsIdentifierStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || IsDigit(c); }

tl::unexpected<Error> LexError(std::string_view text, size_t position, std::string what) {
  return MakeError(ErrorKind::kInvalidArgument, "invalid JMESPath expression '" + std::string(text) + "': " +
                                                    what + " at column " + std::to_string(position + 1));
}

// Reads from the opening `delimiter` at `*pos` up to the closing one. A backslash keeps itself and
// the character after it (so an escaped delimiter does not close), as jmespath.py does; the caller
// decides what escapes mean. Leaves *pos after the closing delimiter.
Result<std::string> ConsumeUntil(std::string_view text, size_t* pos, char delimiter) {
  size_t start = *pos;
  std::string out;
  size_t i = start + 1;
  while (true) {
    if (i >= text.size()) {
      return LexError(text, start, std::string("unclosed ") + delimiter + " delimiter");
    }
    char c = text[i];
    if (c == delimiter) break;
    if (c == '\\') {
      out += c;
      ++i;
      if (i >= text.size()) {
        return LexError(text, start, std::string("unclosed ") + delimiter + " delimiter");
      }
      c = text[i];
    }
    out += c;
    ++i;
  }
  *pos = i + 1;
  return out;
}

// Into a new string, not with replace() in place: GCC 12 at -O3 inlines replace() with the callers'
// constant arguments and warns -Wrestrict about an overlap that cannot happen (a false positive in
// basic_string::_M_replace, GCC bug 105329), which a newcomer's Release build printed as a 30-line
// template trace. Copying once is also linear where replace() in a loop was not.
void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s->size());
  size_t done = 0;
  for (size_t at; (at = s->find(from, done)) != std::string::npos; done = at + from.size()) {
    out.append(*s, done, at - done);
    out.append(to);
  }
  out.append(*s, done);
  *s = std::move(out);
}

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t min, cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of expression";
    case TokenKind::kUnquotedIdentifier:
      return "identifier '" + token.text + "'";
    case TokenKind::kQuotedIdentifier:
      return "quoted identifier \"" + token.text + "\"";
    case TokenKind::kLiteral:
      return "literal " + token.value.dump(-1, ' ', false, Json::error_handler_t::replace);
    case TokenKind::kNumber:
      return "number " + std::to_string(token.number);
    default:
      return "'" + token.text + "'";
  }
}

Result<std::vector<Token>> Tokenize(std::string_view text) {
  // Single- and two-character operators; the longest match wins.
  struct Operator {
    std::string_view text;
    TokenKind kind;
  };
  static constexpr Operator kOperators[] = {
      {"[]", TokenKind::kFlatten}, {"[?", TokenKind::kFilter},  {"||", TokenKind::kOr},
      {"&&", TokenKind::kAnd},     {"==", TokenKind::kEq},      {"!=", TokenKind::kNe},
      {"<=", TokenKind::kLe},      {">=", TokenKind::kGe},      {".", TokenKind::kDot},
      {"*", TokenKind::kStar},     {"[", TokenKind::kLbracket}, {"]", TokenKind::kRbracket},
      {"{", TokenKind::kLbrace},   {"}", TokenKind::kRbrace},   {"(", TokenKind::kLparen},
      {")", TokenKind::kRparen},   {",", TokenKind::kComma},    {":", TokenKind::kColon},
      {"@", TokenKind::kCurrent},  {"&", TokenKind::kExpref},   {"|", TokenKind::kPipe},
      {"!", TokenKind::kNot},      {"<", TokenKind::kLt},       {">", TokenKind::kGt},
  };

  // Strings and identifiers become JSON strings, which must be UTF-8.
  if (!IsValidUtf8(text)) {
    return MakeError(ErrorKind::kInvalidArgument, "invalid JMESPath expression: not valid UTF-8");
  }
  std::vector<Token> tokens;
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
      continue;
    }
    Token token;
    token.position = pos;
    if (IsIdentifierStart(c)) {
      size_t end = pos + 1;
      while (end < text.size() && IsIdentifierChar(text[end])) ++end;
      token.kind = TokenKind::kUnquotedIdentifier;
      token.text = std::string(text.substr(pos, end - pos));
      pos = end;
    } else if (IsDigit(c) || (c == '-' && pos + 1 < text.size() && IsDigit(text[pos + 1]))) {
      size_t end = pos + 1;
      while (end < text.size() && IsDigit(text[end])) ++end;
      std::string digits(text.substr(pos, end - pos));
      errno = 0;
      long long n = std::strtoll(digits.c_str(), nullptr, 10);
      if (errno == ERANGE) return LexError(text, pos, "number " + digits + " out of range");
      token.kind = TokenKind::kNumber;
      token.number = n;
      token.text = digits;
      pos = end;
    } else if (c == '"') {
      auto body = ConsumeUntil(text, &pos, '"');
      if (!body) return tl::unexpected(body.error());
      // A quoted identifier is a JSON string.
      Json parsed = Json::parse("\"" + *body + "\"", nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_string()) {
        return LexError(text, token.position, "invalid quoted identifier \"" + *body + "\"");
      }
      token.kind = TokenKind::kQuotedIdentifier;
      token.text = parsed.get<std::string>();
    } else if (c == '\'') {
      auto body = ConsumeUntil(text, &pos, '\'');
      if (!body) return tl::unexpected(body.error());
      ReplaceAll(&*body, "\\'", "'");
      token.kind = TokenKind::kLiteral;
      token.value = *body;
      token.text = *body;
    } else if (c == '`') {
      auto body = ConsumeUntil(text, &pos, '`');
      if (!body) return tl::unexpected(body.error());
      ReplaceAll(&*body, "\\`", "`");
      Json parsed = Json::parse(*body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        // jmespath.py still accepts the deprecated `foo` form for the string "foo".
        size_t first = body->find_first_not_of(" \t\n\r");
        std::string trimmed = first == std::string::npos ? "" : body->substr(first);
        parsed = Json::parse("\"" + trimmed + "\"", nullptr, /*allow_exceptions=*/false);
        if (parsed.is_discarded()) {
          return LexError(text, token.position, "invalid JSON literal `" + *body + "`");
        }
      }
      token.kind = TokenKind::kLiteral;
      token.value = std::move(parsed);
      token.text = *body;
    } else {
      const Operator* match = nullptr;
      for (const Operator& op : kOperators) {
        if (text.substr(pos, op.text.size()) == op.text) {
          match = &op;
          break;
        }
      }
      if (match == nullptr) return LexError(text, pos, "unexpected character '" + std::string(1, c) + "'");
      token.kind = match->kind;
      token.text = std::string(match->text);
      pos += match->text.size();
    }
    tokens.push_back(std::move(token));
  }
  Token eof;
  eof.position = text.size();
  tokens.push_back(std::move(eof));
  return tokens;
}

}  // namespace cordon::jmespath::detail
