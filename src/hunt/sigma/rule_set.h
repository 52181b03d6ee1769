// A set of loaded rules ready to run over CloudTrail records, and the per-worker matcher that runs them.
#pragma once

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "hunt/sigma/rule.h"

namespace cordon::hunt::sigma {

// Immutable after construction; shared by every worker.
class RuleSet {
 public:
  explicit RuleSet(std::vector<Rule> rules);
  const std::vector<Rule>& rules() const { return rules_; }
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<Rule> rules_;
};

// Parses records and tests them against a RuleSet. Not thread-safe: one per worker. The RuleSet must
// outlive it.
class RuleMatcher {
 public:
  explicit RuleMatcher(const RuleSet& rules) : rules_(rules) {}

  // The indices (into rules()) of the rules `record` (one JSON object's text) matches, in rule order.
  // Returns false, with *matched empty, when the record is not valid JSON.
  bool Match(std::string_view record, std::vector<size_t>* matched);

  // The same for an already parsed event.
  void MatchEvent(const Event& event, std::vector<size_t>* matched) const;

 private:
  const RuleSet& rules_;
  simdjson::dom::parser parser_;
};

}  // namespace cordon::hunt::sigma
