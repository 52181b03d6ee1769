// JMESPath (https://jmespath.org/specification.html): compile an expression once, evaluate it on JSON.
//
// The whole grammar of the specification is supported, with all its built-in functions: botocore's
// paginators and waiters need only a few, users' --query expressions may need any. Behaviour follows
// the specification and, where it is silent, the jmespath Python package that botocore and the AWS
// CLI use:
//   - ordering comparisons (< <= > >=) compare two numbers or two strings; anything else is null;
//   - a backtick literal that is not valid JSON is read as a string (jmespath.py's legacy rule);
//   - raw strings unescape only \' (so 'a\b' keeps its backslash), as jmespath.py does.
// Where jmespath.py departs from the specification we follow the specification:
//   - "a[0][1:2].b" projects .b over the slice (jmespath.py drops the projection after an index);
//   - equality never mixes booleans and numbers, even inside lists (Python's [True] == [1]);
//   - merge() type-checks every argument, contains('abc', `1`) is false, and "`1` < 'a'" is null
//     (jmespath.py raises Python errors on the last two);
//   - unknown functions and wrong argument counts fail at compile time, not when evaluated.
// Built-in function argument types are checked when evaluated, as the specification says.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"

namespace cordon::jmespath {

namespace detail {
struct Node;
}

// A compiled expression. Cheap to copy (the tree is shared and immutable) and safe to evaluate from
// several threads at once.
class Expression {
 public:
  Expression() = default;  // an empty expression; evaluates to null
  // The text the expression was compiled from.
  const std::string& text() const { return text_; }

 private:
  friend Result<Expression> Compile(std::string_view text);
  friend Result<Json> TryEvaluate(const Expression& expression, const Json& data);
  Expression(std::string text, std::shared_ptr<const detail::Node> root)
      : text_(std::move(text)), root_(std::move(root)) {}

  std::string text_;
  std::shared_ptr<const detail::Node> root_;
};

// Parses `text`. Fails with kInvalidArgument and a message naming the column for syntax errors,
// unknown functions and wrong argument counts.
[[nodiscard]] Result<Expression> Compile(std::string_view text);

// Evaluates `expression` against `data`. Fails with kInvalidArgument only for run-time type errors
// (a function given an argument of the wrong type, e.g. length(`1`)).
[[nodiscard]] Result<Json> TryEvaluate(const Expression& expression, const Json& data);

// As TryEvaluate, with a run-time type error giving null.
Json Evaluate(const Expression& expression, const Json& data);

// Compile and TryEvaluate in one step.
[[nodiscard]] Result<Json> Search(std::string_view expression, const Json& data);

// JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 included) is true.
bool IsTruthy(const Json& value);

}  // namespace cordon::jmespath
