// Evaluates a JMESPath syntax tree against JSON (internal to the jmespath module).
#pragma once

#include <string>

#include "aws/jmespath/ast.h"
#include "base/json.h"

namespace cordon::jmespath::detail {

// An intermediate result: either borrowed from the input document (or a literal in the tree), or
// owned. Borrowing avoids copying a large response at every step of "a.b[0].c".
class Value {
 public:
  static Value Borrow(const Json& json) { return Value(&json); }
  static Value Own(Json json) { return Value(std::move(json)); }

  const Json& get() const { return borrowed_ != nullptr ? *borrowed_ : owned_; }
  bool owned() const { return borrowed_ == nullptr; }
  // The value itself: moved out when owned, copied when borrowed.
  Json Take() && { return borrowed_ != nullptr ? *borrowed_ : std::move(owned_); }

 private:
  explicit Value(const Json* borrowed) : borrowed_(borrowed) {}
  explicit Value(Json owned) : owned_(std::move(owned)) {}

  const Json* borrowed_ = nullptr;
  Json owned_;
};

// One evaluation: holds the first run-time error. Not thread safe; make one per evaluation.
class Interpreter {
 public:
  // Evaluates `node` with `current` as the current node (@). The result may borrow from `current`
  // and from the tree, so both must outlive it. After a run-time type error the result is
  // meaningless and failed() is true.
  Value Visit(const Node& node, const Json& current);
  // As Visit, returning a value of its own.
  Json Evaluate(const Node& node, const Json& current) { return Visit(node, current).Take(); }

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  // Visits `right` on the result of `left` (a.b, a[0], a | b).
  Value VisitChain(const Node& left, const Node& right, const Json& current);
  Value VisitProjection(const Node& node, const Json& current);
  Value VisitFunction(const Node& node, const Json& current);

  std::string error_;  // the first run-time error; later ones are dropped
};

// JMESPath equality: deep, with numbers compared by value and no bool/number mixing.
bool JsonEquals(const Json& a, const Json& b);

}  // namespace cordon::jmespath::detail
