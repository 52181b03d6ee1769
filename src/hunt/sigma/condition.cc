#include "hunt/sigma/condition.h"

#include "base/strings.h"
#include "hunt/sigma/pattern.h"

namespace cordon::hunt::sigma {
namespace {

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) tokens.push_back(std::move(word));
    word.clear();
  };
  for (char c : text) {
    if (c == '(' || c == ')') {
      flush();
      tokens.emplace_back(1, c);
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return tokens;
}

class Parser {
 public:
  Parser(std::vector<std::string> tokens, const std::vector<std::string>& identifiers)
      : tokens_(std::move(tokens)), identifiers_(identifiers) {}

  Result<Condition> ParseAll() {
    Result<Condition> c = ParseOr();
    if (!c) return c;
    if (pos_ != tokens_.size()) return Fail("unexpected '" + tokens_[pos_] + "'");
    return c;
  }

 private:
  bool PeekKeyword(std::string_view keyword) const {
    return pos_ < tokens_.size() && EqualsIgnoreCase(tokens_[pos_], keyword);
  }
  tl::unexpected<Error> Fail(const std::string& message) const {
    return MakeError(ErrorKind::kInvalidArgument, "condition: " + message);
  }

  template <class Next>
  Result<Condition> ParseBinary(std::string_view keyword, Condition::Op op, Next next) {
    Result<Condition> first = (this->*next)();
    if (!first || !PeekKeyword(keyword)) return first;
    Condition node{op, 0, {std::move(*first)}};
    while (PeekKeyword(keyword)) {
      ++pos_;
      Result<Condition> rhs = (this->*next)();
      if (!rhs) return rhs;
      node.children.push_back(std::move(*rhs));
    }
    return node;
  }
  Result<Condition> ParseOr() { return ParseBinary("or", Condition::Op::kOr, &Parser::ParseAnd); }
  Result<Condition> ParseAnd() { return ParseBinary("and", Condition::Op::kAnd, &Parser::ParseNot); }

  Result<Condition> ParseNot() {
    if (!PeekKeyword("not")) return ParsePrimary();
    ++pos_;
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail("nested too deep");
    Result<Condition> operand = ParseNot();
    if (!operand) return operand;
    return Condition{Condition::Op::kNot, 0, {std::move(*operand)}};
  }

  Result<Condition> ParsePrimary() {
    if (pos_ >= tokens_.size()) return Fail("ends where an identifier was expected");
    const std::string& token = tokens_[pos_];
    if (token == "(") {
      ++pos_;
      DepthGuard guard(&depth_);
      if (depth_ > kMaxDepth) return Fail("nested too deep");
      Result<Condition> inner = ParseOr();
      if (!inner) return inner;
      if (pos_ >= tokens_.size() || tokens_[pos_] != ")") return Fail("missing ')'");
      ++pos_;
      return inner;
    }
    if (token == ")") return Fail("unexpected ')'");
    if (pos_ + 1 < tokens_.size() && EqualsIgnoreCase(tokens_[pos_ + 1], "of")) return ParseOf();
    for (std::string_view keyword : {"and", "or", "not", "of"}) {
      if (EqualsIgnoreCase(token, keyword)) return Fail("unexpected '" + token + "'");
    }
    for (size_t i = 0; i < identifiers_.size(); ++i) {
      if (identifiers_[i] == token) {
        ++pos_;
        return Condition{Condition::Op::kSearch, i, {}};
      }
    }
    return Fail("unknown search identifier '" + token + "'");
  }

  // `1 of X`, `all of X`.
  Result<Condition> ParseOf() {
    const std::string quantifier = tokens_[pos_];
    Condition node;
    if (quantifier == "1") {
      node.op = Condition::Op::kOr;
    } else if (EqualsIgnoreCase(quantifier, "all")) {
      node.op = Condition::Op::kAnd;
    } else {
      return Fail("'" + quantifier + " of' (only '1 of' and 'all of' exist)");
    }
    pos_ += 2;
    if (pos_ >= tokens_.size() || tokens_[pos_] == "(" || tokens_[pos_] == ")")
      return Fail("'" + quantifier + " of' without a pattern");
    const std::string target = tokens_[pos_++];
    const bool them = EqualsIgnoreCase(target, "them");
    const Pattern pattern = Pattern::Parse(target, /*cased=*/true);
    for (size_t i = 0; i < identifiers_.size(); ++i) {
      const bool hit = them ? !StartsWith(identifiers_[i], "_") : pattern.Matches(identifiers_[i]);
      if (hit) node.children.push_back({Condition::Op::kSearch, i, {}});
    }
    if (node.children.empty()) return Fail("'" + target + "' names no search identifier");
    return node;
  }

  // Recursion depth bound: a hostile rule's "not not not ..." must not exhaust the stack.
  static constexpr int kMaxDepth = 64;
  struct DepthGuard {
    explicit DepthGuard(int* d) : depth(d) { ++*depth; }
    ~DepthGuard() { --*depth; }
    int* depth;
  };

  std::vector<std::string> tokens_;
  const std::vector<std::string>& identifiers_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<Condition> ParseCondition(std::string_view text, const std::vector<std::string>& identifiers) {
  std::vector<std::string> tokens = Tokenize(text);
  if (tokens.empty()) return MakeError(ErrorKind::kInvalidArgument, "condition: empty");
  return Parser(std::move(tokens), identifiers).ParseAll();
}

bool EvaluateCondition(const Condition& c, const std::function<bool(size_t)>& search) {
  switch (c.op) {
    case Condition::Op::kSearch:
      return search(c.search);
    case Condition::Op::kNot:
      return !EvaluateCondition(c.children[0], search);
    case Condition::Op::kAnd:
      for (const Condition& child : c.children) {
        if (!EvaluateCondition(child, search)) return false;
      }
      return true;
    case Condition::Op::kOr:
      for (const Condition& child : c.children) {
        if (EvaluateCondition(child, search)) return true;
      }
      return false;
  }
  return false;
}

void ForEachSearch(const Condition& c, const std::function<void(size_t)>& visit) {
  if (c.op == Condition::Op::kSearch) visit(c.search);
  for (const Condition& child : c.children) ForEachSearch(child, visit);
}

}  // namespace cordon::hunt::sigma
