// Splits a JMESPath expression into tokens (internal to the jmespath module).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::jmespath::detail {

enum class TokenKind {
  kEof,
  kUnquotedIdentifier,  // foo
  kQuotedIdentifier,    // "foo"
  kLiteral,             // `json` or 'raw'
  kNumber,              // -12 (only meaningful inside [] and slices)
  kDot,                 // .
  kStar,                // *
  kFlatten,             // []
  kFilter,              // [?
  kLbracket,            // [
  kRbracket,            // ]
  kLbrace,              // {
  kRbrace,              // }
  kLparen,              // (
  kRparen,              // )
  kComma,               // ,
  kColon,               // :
  kCurrent,             // @
  kExpref,              // &
  kPipe,                // |
  kOr,                  // ||
  kAnd,                 // &&
  kNot,                 // !
  kEq,                  // ==
  kNe,                  // !=
  kLt,                  // <
  kLe,                  // <=
  kGt,                  // >
  kGe,                  // >=
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  size_t position = 0;  // byte offset of the token's first character
  std::string text;     // identifier name (unescaped for quoted identifiers)
  Json value;           // kLiteral
  int64_t number = 0;   // kNumber
};

// A short name for messages: "']'", "identifier 'foo'", "end of expression".
std::string DescribeToken(const Token& token);

// The tokens of `text`, ending with one kEof. Fails with kInvalidArgument on a character that
// starts no token, an unterminated quote or an invalid quoted identifier.
Result<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace cordon::jmespath::detail
