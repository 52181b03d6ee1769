// libFuzzer target for the Sigma rule loader and matcher: the input is a rule file's text, then a line
// "#record", then one CloudTrail record. Beyond "no crash" (YAML, detection items, modifiers, conditions,
// correlations, RE2 patterns from the bytes), loading is deterministic, every rule not loaded is listed
// with a reason, and the rule index never drops a match: the rules matched through the index's literal
// prefilter (RuleMatcher::Match, what the hunt runs) are exactly those matched by evaluating every rule on
// the parsed record (MatchEvent).
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"

namespace {

constexpr std::string_view kRecordLine = "\n#record\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cordon::hunt::sigma;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find(kRecordLine);
  const std::string_view rule_text = input.substr(0, split);
  const std::string_view record =
      split == std::string_view::npos ? std::string_view() : input.substr(split + kRecordLine.size());

  LoadedRules first, second;
  LoadRuleText("fuzz.yml", rule_text, &first);
  LoadRuleText("fuzz.yml", rule_text, &second);
  CORDON_FUZZ_CHECK(first.rules.size() == second.rules.size());
  CORDON_FUZZ_CHECK(first.correlations.size() == second.correlations.size());
  CORDON_FUZZ_CHECK(first.skipped.size() == second.skipped.size());
  for (const SkippedRule& s : first.skipped) CORDON_FUZZ_CHECK(!s.reason.empty());
  if (first.rules.empty() || record.empty()) return 0;

  const RuleSet rules(std::move(first.rules));
  RuleMatcher matcher(rules);
  std::vector<size_t> indexed, evaluated;
  const bool parsed = matcher.Match(record, &indexed);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(record.data(), record.size()).get(root) != simdjson::SUCCESS) return 0;
  CORDON_FUZZ_CHECK(parsed);
  matcher.MatchEvent(Event(root), &evaluated);
  CORDON_FUZZ_CHECK(indexed == evaluated);
  return 0;
}
