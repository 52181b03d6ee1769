// The JMESPath built-in functions (internal to the jmespath module).
//
// Each function is a row of kFunctions: its name, its arity and an implementation. Arity is checked
// when an expression is compiled; argument types when it is evaluated, as the specification says.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/jmespath/ast.h"
#include "aws/jmespath/interpreter.h"
#include "base/json.h"

namespace cordon::jmespath::detail {

// One evaluated argument: a JSON value, or for an &expression argument the expression itself.
struct Argument {
  Value held;                    // null for an &expression
  const Node* expref = nullptr;  // the expression after '&', or nullptr

  const Json& value() const { return held.get(); }
};

struct Function {
  std::string_view name;
  int min_args;
  int max_args;  // -1: variadic
  // Returns the result, or sets *error (a message naming the function) and returns null.
  Json (*call)(Interpreter& interpreter, std::vector<Argument>& args, std::string* error);
};

// The function called `name`, or nullptr.
const Function* FindFunction(std::string_view name);

}  // namespace cordon::jmespath::detail
