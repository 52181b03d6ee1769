// The JMESPath parser: top-down operator precedence (Pratt), over the tokens of lexer.h.
//
// Each token has a binding power; tokens below kProjectionStop end the right-hand side of a
// projection, which is how "a[*].b | c" applies ".b" to each element but "| c" to the whole list.
// Nud ("null denotation") handles a token that starts an expression, Led ("left denotation") one that
// continues the expression on its left.
#include "aws/jmespath/parser.h"

#include "aws/jmespath/functions.h"
#include "aws/jmespath/lexer.h"

namespace cordon::jmespath::detail {
namespace {

constexpr int kProjectionStop = 10;
// Deeper nesting than this is refused rather than risking the stack (fuzzers find such inputs).
constexpr int kMaxDepth = 256;
// Chains such as "a.a.a..." nest the tree without nesting the parser, and evaluating (and freeing)
// the tree recurses as deep; bounding the tokens bounds that. Real expressions are far shorter.
constexpr size_t kMaxTokens = 4096;

int BindingPower(TokenKind kind) {
  switch (kind) {
    case TokenKind::kPipe:
      return 1;
    case TokenKind::kOr:
      return 2;
    case TokenKind::kAnd:
      return 3;
    case TokenKind::kEq:
    case TokenKind::kNe:
    case TokenKind::kLt:
    case TokenKind::kLe:
    case TokenKind::kGt:
    case TokenKind::kGe:
      return 5;
    case TokenKind::kFlatten:
      return 9;
    case TokenKind::kStar:
      return 20;
    case TokenKind::kFilter:
      return 21;
    case TokenKind::kDot:
      return 40;
    case TokenKind::kNot:
      return 45;
    case TokenKind::kLbrace:
      return 50;
    case TokenKind::kLbracket:
      return 55;
    case TokenKind::kLparen:
      return 60;
    default:
      return 0;
  }
}

NodePtr MakeNode(NodeKind kind) { return std::make_unique<Node>(kind); }

NodePtr MakeNode(NodeKind kind, NodePtr left, NodePtr right) {
  NodePtr node = MakeNode(kind);
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  return node;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), tokens_(std::move(tokens)) {}

  Result<NodePtr> ParseAll() {
    auto node = Expression(0);
    if (!node) return node;
    if (Peek().kind != TokenKind::kEof) return Fail(Peek(), "unexpected " + DescribeToken(Peek()));
    return node;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  const Token& Advance() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  tl::unexpected<Error> Fail(const Token& at, const std::string& what) const {
    return MakeError(ErrorKind::kInvalidArgument, "invalid JMESPath expression '" + std::string(text_) +
                                                      "': " + what + " at column " +
                                                      std::to_string(at.position + 1));
  }

  Status Expect(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) {
      return Fail(Peek(), "expected " + std::string(what) + ", got " + DescribeToken(Peek()));
    }
    Advance();
    return Ok();
  }

  Result<NodePtr> Expression(int rbp) {
    if (++depth_ > kMaxDepth) return Fail(Peek(), "expression nested too deeply");
    auto left = Nud();
    while (left && rbp < BindingPower(Peek().kind)) left = Led(std::move(*left));
    --depth_;
    return left;
  }

  Result<NodePtr> Nud() {
    const Token& token = Advance();
    switch (token.kind) {
      case TokenKind::kLiteral: {
        NodePtr node = MakeNode(NodeKind::kLiteral);
        node->value = token.value;
        return node;
      }
      case TokenKind::kUnquotedIdentifier: {
        NodePtr node = MakeNode(NodeKind::kField);
        node->name = token.text;
        return node;
      }
      case TokenKind::kQuotedIdentifier: {
        if (Peek().kind == TokenKind::kLparen) {
          return Fail(token, "a quoted identifier cannot name a function");
        }
        NodePtr node = MakeNode(NodeKind::kField);
        node->name = token.text;
        return node;
      }
      case TokenKind::kStar: {  // "*" at the start: a value projection of @
        auto right = ProjectionRhs(BindingPower(TokenKind::kStar));
        if (!right) return right;
        return MakeNode(NodeKind::kValueProjection, MakeNode(NodeKind::kCurrent), std::move(*right));
      }
      case TokenKind::kFilter:
        return LedFilter(MakeNode(NodeKind::kCurrent));
      case TokenKind::kLbrace:
        return MultiSelectHash();
      case TokenKind::kLparen: {
        auto inner = Expression(0);
        if (!inner) return inner;
        if (auto s = Expect(TokenKind::kRparen, "')'"); !s) return tl::unexpected(s.error());
        return inner;
      }
      case TokenKind::kFlatten: {  // "[]" at the start: flatten @ and project
        NodePtr flatten = MakeNode(NodeKind::kFlatten);
        flatten->children.push_back(MakeNode(NodeKind::kCurrent));
        auto right = ProjectionRhs(BindingPower(TokenKind::kFlatten));
        if (!right) return right;
        return MakeNode(NodeKind::kListProjection, std::move(flatten), std::move(*right));
      }
      case TokenKind::kNot: {
        auto operand = Expression(BindingPower(TokenKind::kNot));
        if (!operand) return operand;
        NodePtr node = MakeNode(NodeKind::kNot);
        node->children.push_back(std::move(*operand));
        return node;
      }
      case TokenKind::kLbracket: {
        TokenKind next = Peek().kind;
        if (next == TokenKind::kNumber || next == TokenKind::kColon) {
          auto index = IndexOrSlice();
          if (!index) return index;
          return ProjectIfSlice(MakeNode(NodeKind::kCurrent), std::move(*index));
        }
        if (next == TokenKind::kStar && Peek(1).kind == TokenKind::kRbracket) {
          Advance();
          Advance();
          auto right = ProjectionRhs(BindingPower(TokenKind::kStar));
          if (!right) return right;
          return MakeNode(NodeKind::kListProjection, MakeNode(NodeKind::kCurrent), std::move(*right));
        }
        return MultiSelectList();
      }
      case TokenKind::kCurrent:
        return MakeNode(NodeKind::kCurrent);
      case TokenKind::kExpref: {
        auto operand = Expression(0);
        if (!operand) return operand;
        NodePtr node = MakeNode(NodeKind::kExpref);
        node->children.push_back(std::move(*operand));
        return node;
      }
      default:
        return Fail(token, "unexpected " + DescribeToken(token));
    }
  }

  Result<NodePtr> Led(NodePtr left) {
    const Token& token = Advance();
    switch (token.kind) {
      case TokenKind::kDot: {
        if (Peek().kind == TokenKind::kStar) {  // "a.*": a value projection of a
          Advance();
          auto right = ProjectionRhs(BindingPower(TokenKind::kDot));
          if (!right) return right;
          return MakeNode(NodeKind::kValueProjection, std::move(left), std::move(*right));
        }
        auto right = DotRhs(BindingPower(TokenKind::kDot));
        if (!right) return right;
        return MakeNode(NodeKind::kSubexpression, std::move(left), std::move(*right));
      }
      case TokenKind::kPipe:
      case TokenKind::kOr:
      case TokenKind::kAnd: {
        auto right = Expression(BindingPower(token.kind));
        if (!right) return right;
        NodeKind kind = token.kind == TokenKind::kPipe ? NodeKind::kPipe
                        : token.kind == TokenKind::kOr ? NodeKind::kOr
                                                       : NodeKind::kAnd;
        return MakeNode(kind, std::move(left), std::move(*right));
      }
      case TokenKind::kEq:
      case TokenKind::kNe:
      case TokenKind::kLt:
      case TokenKind::kLe:
      case TokenKind::kGt:
      case TokenKind::kGe: {
        auto right = Expression(BindingPower(token.kind));
        if (!right) return right;
        NodePtr node = MakeNode(NodeKind::kComparator, std::move(left), std::move(*right));
        node->op = token.kind == TokenKind::kEq   ? Comparator::kEq
                   : token.kind == TokenKind::kNe ? Comparator::kNe
                   : token.kind == TokenKind::kLt ? Comparator::kLt
                   : token.kind == TokenKind::kLe ? Comparator::kLe
                   : token.kind == TokenKind::kGt ? Comparator::kGt
                                                  : Comparator::kGe;
        return node;
      }
      case TokenKind::kLparen:
        return FunctionCall(std::move(left), token);
      case TokenKind::kFilter:
        return LedFilter(std::move(left));
      case TokenKind::kFlatten: {
        NodePtr flatten = MakeNode(NodeKind::kFlatten);
        flatten->children.push_back(std::move(left));
        auto right = ProjectionRhs(BindingPower(TokenKind::kFlatten));
        if (!right) return right;
        return MakeNode(NodeKind::kListProjection, std::move(flatten), std::move(*right));
      }
      case TokenKind::kLbracket: {
        TokenKind next = Peek().kind;
        if (next == TokenKind::kNumber || next == TokenKind::kColon) {
          auto index = IndexOrSlice();
          if (!index) return index;
          return ProjectIfSlice(std::move(left), std::move(*index));
        }
        if (auto s = Expect(TokenKind::kStar, "a number, ':' or '*' after '['"); !s) {
          return tl::unexpected(s.error());
        }
        if (auto s = Expect(TokenKind::kRbracket, "']'"); !s) return tl::unexpected(s.error());
        auto right = ProjectionRhs(BindingPower(TokenKind::kStar));
        if (!right) return right;
        return MakeNode(NodeKind::kListProjection, std::move(left), std::move(*right));
      }
      default:
        return Fail(token, "unexpected " + DescribeToken(token));
    }
  }

  // After "[?": the condition, "]", and the projected right-hand side.
  Result<NodePtr> LedFilter(NodePtr left) {
    auto condition = Expression(0);
    if (!condition) return condition;
    if (auto s = Expect(TokenKind::kRbracket, "']' to close the filter"); !s) {
      return tl::unexpected(s.error());
    }
    Result<NodePtr> right = Peek().kind == TokenKind::kFlatten
                                ? Result<NodePtr>(MakeNode(NodeKind::kCurrent))
                                : ProjectionRhs(BindingPower(TokenKind::kFilter));
    if (!right) return right;
    NodePtr node = MakeNode(NodeKind::kFilterProjection, std::move(left), std::move(*right));
    node->children.push_back(std::move(*condition));
    return node;
  }

  Result<NodePtr> FunctionCall(NodePtr left, const Token& lparen) {
    if (left->kind != NodeKind::kField) return Fail(lparen, "only a name can be called as a function");
    std::vector<NodePtr> args;
    while (Peek().kind != TokenKind::kRparen) {
      auto arg = Expression(0);
      if (!arg) return arg;
      args.push_back(std::move(*arg));
      if (Peek().kind == TokenKind::kComma) {
        Advance();
        if (Peek().kind == TokenKind::kRparen) return Fail(Peek(), "expected an argument after ','");
      } else if (Peek().kind != TokenKind::kRparen) {
        return Fail(Peek(), "expected ',' or ')', got " + DescribeToken(Peek()));
      }
    }
    Advance();
    const Function* function = FindFunction(left->name);
    if (function == nullptr) return Fail(lparen, "unknown function " + left->name + "()");
    int n = static_cast<int>(args.size());
    if (n < function->min_args || (function->max_args >= 0 && n > function->max_args)) {
      std::string expected = function->max_args < 0 ? "at least " + std::to_string(function->min_args)
                                                    : std::to_string(function->min_args);
      return Fail(lparen, left->name + "() takes " + expected + " argument" + (expected == "1" ? "" : "s") +
                              ", got " + std::to_string(n));
    }
    NodePtr node = MakeNode(NodeKind::kFunction);
    node->name = left->name;
    node->function = function;
    node->children = std::move(args);
    return node;
  }

  // After "[" when a number or ':' follows: "n]" or "start:stop:step]".
  Result<NodePtr> IndexOrSlice() {
    if (Peek().kind == TokenKind::kNumber && Peek(1).kind == TokenKind::kRbracket) {
      NodePtr node = MakeNode(NodeKind::kIndex);
      node->index = Advance().number;
      Advance();
      return node;
    }
    NodePtr node = MakeNode(NodeKind::kSlice);
    std::optional<int64_t> parts[3];
    int part = 0;
    while (Peek().kind != TokenKind::kRbracket) {
      const Token& token = Peek();
      if (token.kind == TokenKind::kColon) {
        if (++part > 2) return Fail(token, "a slice has at most three parts");
      } else if (token.kind == TokenKind::kNumber) {
        if (parts[part]) return Fail(token, "expected ':' or ']', got " + DescribeToken(token));
        parts[part] = token.number;
      } else {
        return Fail(token, "expected a number, ':' or ']' in a slice, got " + DescribeToken(token));
      }
      Advance();
    }
    const Token& close = Advance();
    // part > 0 here: "[n]" was taken as an index above, and anything else without ':' failed.
    if (parts[2] && *parts[2] == 0) return Fail(close, "a slice step cannot be 0");
    node->start = parts[0];
    node->stop = parts[1];
    node->step = parts[2].value_or(1);
    return node;
  }

  // left[index] stays a plain index; left[slice] becomes a projection over the sliced list.
  Result<NodePtr> ProjectIfSlice(NodePtr left, NodePtr index) {
    bool is_slice = index->kind == NodeKind::kSlice;
    NodePtr indexed = MakeNode(NodeKind::kIndexExpression, std::move(left), std::move(index));
    if (!is_slice) return indexed;
    auto right = ProjectionRhs(BindingPower(TokenKind::kStar));
    if (!right) return right;
    return MakeNode(NodeKind::kListProjection, std::move(indexed), std::move(*right));
  }

  // What a projection applies to each element: nothing (@) when the next token stops projections,
  // otherwise a bracket, a filter or a ".rhs".
  Result<NodePtr> ProjectionRhs(int rbp) {
    TokenKind next = Peek().kind;
    if (BindingPower(next) < kProjectionStop) return MakeNode(NodeKind::kCurrent);
    if (next == TokenKind::kLbracket || next == TokenKind::kFilter) return Expression(rbp);
    if (next == TokenKind::kDot) {
      Advance();
      return DotRhs(rbp);
    }
    return Fail(Peek(), "unexpected " + DescribeToken(Peek()) + " after a projection");
  }

  // What may follow a '.': a name, a function call, '*', "[a, b]" or "{k: v}".
  Result<NodePtr> DotRhs(int rbp) {
    switch (Peek().kind) {
      case TokenKind::kUnquotedIdentifier:
      case TokenKind::kQuotedIdentifier:
      case TokenKind::kStar:
        return Expression(rbp);
      case TokenKind::kLbracket:
        Advance();
        return MultiSelectList();
      case TokenKind::kLbrace:
        Advance();
        return MultiSelectHash();
      default:
        return Fail(Peek(), "expected a name, '*', '[' or '{' after '.', got " + DescribeToken(Peek()));
    }
  }

  // After "[": "a, b, c]".
  Result<NodePtr> MultiSelectList() {
    NodePtr node = MakeNode(NodeKind::kMultiSelectList);
    while (true) {
      auto item = Expression(0);
      if (!item) return item;
      node->children.push_back(std::move(*item));
      if (Peek().kind == TokenKind::kRbracket) break;
      if (auto s = Expect(TokenKind::kComma, "',' or ']'"); !s) return tl::unexpected(s.error());
    }
    Advance();
    return node;
  }

  // After "{": "key: value, ...}".
  Result<NodePtr> MultiSelectHash() {
    NodePtr node = MakeNode(NodeKind::kMultiSelectHash);
    while (true) {
      const Token& key = Peek();
      if (key.kind != TokenKind::kUnquotedIdentifier && key.kind != TokenKind::kQuotedIdentifier) {
        return Fail(key, "expected a key name, got " + DescribeToken(key));
      }
      node->keys.push_back(key.text);
      Advance();
      if (auto s = Expect(TokenKind::kColon, "':'"); !s) return tl::unexpected(s.error());
      auto value = Expression(0);
      if (!value) return value;
      node->children.push_back(std::move(*value));
      if (Peek().kind == TokenKind::kRbrace) break;
      if (auto s = Expect(TokenKind::kComma, "',' or '}'"); !s) return tl::unexpected(s.error());
    }
    Advance();
    return node;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<NodePtr> Parse(std::string_view text) {
  auto tokens = Tokenize(text);
  if (!tokens) return tl::unexpected(tokens.error());
  if (tokens->size() == 1) {
    return MakeError(ErrorKind::kInvalidArgument, "invalid JMESPath expression: the expression is empty");
  }
  if (tokens->size() > kMaxTokens) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "invalid JMESPath expression: longer than " + std::to_string(kMaxTokens) + " tokens");
  }
  Parser parser(text, std::move(*tokens));
  return parser.ParseAll();
}

}  // namespace cordon::jmespath::detail
