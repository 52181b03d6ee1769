#include "hunt/sigma/rule_set.h"

namespace cordon::hunt::sigma {

RuleSet::RuleSet(std::vector<Rule> rules) : rules_(std::move(rules)) {}

bool RuleMatcher::Match(std::string_view record, std::vector<size_t>* matched) {
  matched->clear();
  simdjson::dom::element root;
  if (parser_.parse(record.data(), record.size()).get(root) != simdjson::SUCCESS) return false;
  MatchEvent(Event(root), matched);
  return true;
}

void RuleMatcher::MatchEvent(const Event& event, std::vector<size_t>* matched) const {
  for (size_t i = 0; i < rules_.rules().size(); ++i) {
    if (rules_.rules()[i].Matches(event)) matched->push_back(i);
  }
}

}  // namespace cordon::hunt::sigma
