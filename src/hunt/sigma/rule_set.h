// A set of loaded rules ready to run over CloudTrail records, and the per-worker matcher that runs them.
#pragma once

#include <simdjson.h>

#include <memory>
#include <string_view>
#include <vector>

#include "hunt/sigma/rule.h"
#include "hunt/sigma/rule_index.h"

namespace cordon::hunt::sigma {

// Immutable after construction; shared by every worker. `find` is the literal search the index uses on
// raw records (see rule_index.h).
class RuleSet {
 public:
  explicit RuleSet(std::vector<Rule> rules, FindFunction find = PlainFind);
  const std::vector<Rule>& rules() const { return rules_; }
  const RuleIndex& index() const { return *index_; }
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<Rule> rules_;
  std::unique_ptr<RuleIndex> index_;  // points into rules_
};

// Parses records and tests them against a RuleSet. Not thread-safe: one per worker. The RuleSet must
// outlive it.
class RuleMatcher {
 public:
  explicit RuleMatcher(const RuleSet& rules) : rules_(rules), scratch_(rules.index().NewScratch()) {}

  // The indices (into rules()) of the rules `record` (one JSON object's text) matches, in rule order.
  // Only the index's candidates are evaluated, and a record with none is not parsed at all. Returns
  // false, with *matched empty, when the record had candidates and is not valid JSON.
  bool Match(std::string_view record, std::vector<size_t>* matched);

  // The same for an already parsed event, evaluating every rule (no index).
  void MatchEvent(const Event& event, std::vector<size_t>* matched) const;

 private:
  const RuleSet& rules_;
  std::unique_ptr<RuleIndex::Scratch> scratch_;
  std::vector<size_t> candidates_;
  simdjson::dom::parser parser_;
};

}  // namespace cordon::hunt::sigma
