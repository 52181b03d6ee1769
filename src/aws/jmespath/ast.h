// The syntax tree of a compiled JMESPath expression (internal to the jmespath module).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"

namespace cordon::jmespath::detail {

struct Function;

enum class NodeKind {
  kCurrent,           // @, and the implicit left side of "[*]", "[]", "*" and "[?...]" at the start
  kField,             // foo, "foo": a member of an object, null otherwise
  kLiteral,           // `json` and 'raw string'
  kIndex,             // [n] with n < 0 counting from the end
  kSlice,             // [start:stop:step], a projection once applied
  kSubexpression,     // children[0].children[1]
  kIndexExpression,   // children[0][children[1]]: like a subexpression, kept apart for clarity
  kListProjection,    // children[0] must be an array; children[1] applied to each element
  kValueProjection,   // children[0] must be an object; children[1] applied to each value
  kFilterProjection,  // children[0] array; elements where children[2] is truthy, mapped by children[1]
  kFlatten,           // children[0] evaluated and flattened one level
  kComparator,        // children[0] <op> children[1]
  kOr,                // children[0] || children[1]
  kAnd,               // children[0] && children[1]
  kNot,               // !children[0]
  kPipe,              // children[0] | children[1]: stops projections
  kMultiSelectList,   // [a, b]
  kMultiSelectHash,   // {k: a, l: b}; keys in `keys`
  kFunction,          // name(args...): `function` resolved at compile time
  kExpref,            // &expr: only valid as a function argument
};

enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe };

struct Node {
  explicit Node(NodeKind k) : kind(k) {}

  NodeKind kind;
  std::string name;                    // kField, kFunction
  Json value;                          // kLiteral
  int64_t index = 0;                   // kIndex
  std::optional<int64_t> start, stop;  // kSlice
  int64_t step = 1;                    // kSlice; never 0 (rejected at compile time)
  Comparator op = Comparator::kEq;     // kComparator
  std::vector<std::string> keys;       // kMultiSelectHash, one per child
  const Function* function = nullptr;  // kFunction
  std::vector<std::unique_ptr<Node>> children;
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace cordon::jmespath::detail
