// The condition of a Sigma rule: parsed into a tree over the rule's search identifiers and evaluated.
// Grammar (Sigma rules specification, "Condition"), least binding first: `or`, `and`, `not`,
// `1 of X` / `all of X` (X a search identifier pattern with `*` wildcards, or `them`: every identifier not
// starting with `_`), `( ... )`. Keywords are case-insensitive; identifiers are exact.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace cordon::hunt::sigma {

struct Condition {
  enum class Op { kSearch, kAnd, kOr, kNot };
  Op op = Op::kSearch;
  size_t search = 0;  // kSearch: index into the rule's identifiers
  std::vector<Condition> children;
};

// Parses `text` over `identifiers`. Fails with kInvalidArgument for a syntax error, an unknown identifier
// or an `of` pattern that names no identifier.
Result<Condition> ParseCondition(std::string_view text, const std::vector<std::string>& identifiers);

// Evaluates with `search(i)` giving search identifier i's result; `and`/`or` stop early.
bool EvaluateCondition(const Condition& condition, const std::function<bool(size_t)>& search);

// Calls `visit` on each search identifier the condition uses.
void ForEachSearch(const Condition& condition, const std::function<void(size_t)>& visit);

}  // namespace cordon::hunt::sigma
