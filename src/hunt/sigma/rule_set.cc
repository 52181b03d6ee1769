#include "hunt/sigma/rule_set.h"

namespace cordon::hunt::sigma {

RuleSet::RuleSet(std::vector<Rule> rules, FindFunction find)
    : rules_(std::move(rules)), index_(std::make_unique<RuleIndex>(rules_, find)) {}

bool RuleMatcher::Match(std::string_view record, std::vector<size_t>* matched) {
  matched->clear();
  rules_.index().Candidates(record, scratch_.get(), &candidates_);
  if (candidates_.empty()) return true;
  simdjson::dom::element root;
  if (parser_.parse(record.data(), record.size()).get(root) != simdjson::SUCCESS) return false;
  const Event event(root);
  for (size_t i : candidates_) {
    if (rules_.rules()[i].Matches(event)) matched->push_back(i);
  }
  return true;
}

void RuleMatcher::MatchEvent(const Event& event, std::vector<size_t>* matched) const {
  for (size_t i = 0; i < rules_.rules().size(); ++i) {
    if (rules_.rules()[i].Matches(event)) matched->push_back(i);
  }
}

}  // namespace cordon::hunt::sigma
