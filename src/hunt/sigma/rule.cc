#include "hunt/sigma/rule.h"

#include <algorithm>

namespace cordon::hunt::sigma {

bool SearchIdentifier::Matches(const Event& event) const {
  return std::any_of(alternatives.begin(), alternatives.end(), [&](const std::vector<DetectionItem>& items) {
    return std::all_of(items.begin(), items.end(),
                       [&](const DetectionItem& item) { return item.Matches(event); });
  });
}

bool Rule::Matches(const Event& event) const {
  // -1 not yet evaluated, 0 false, 1 true.
  std::vector<signed char> memo(searches.size(), -1);
  auto search = [&](size_t i) {
    if (memo[i] < 0) memo[i] = searches[i].Matches(event) ? 1 : 0;
    return memo[i] == 1;
  };
  return std::any_of(conditions.begin(), conditions.end(),
                     [&](const Condition& c) { return EvaluateCondition(c, search); });
}

}  // namespace cordon::hunt::sigma
