// Every SigmaHQ CloudTrail rule in tests/data/sigma/rules against two hand-written events from
// testdata/rule_cases.json, built from the rule's own detection: one that must match, and a close one
// (the `why` of the case says what differs) that must not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma {
namespace {

nlohmann::json Cases() {
  std::ifstream in(std::string(::cordon::test::SourceDir()) + "/src/hunt/sigma/testdata/rule_cases.json");
  return nlohmann::json::parse(in);
}

std::vector<std::string> MatchingTitles(RuleMatcher& matcher, const RuleSet& set,
                                        const nlohmann::json& event) {
  std::vector<size_t> matched;
  EXPECT_TRUE(matcher.Match(event.dump(), &matched));
  std::vector<std::string> files;
  for (size_t i : matched) files.push_back(std::filesystem::path(set.rules()[i].file).stem().string());
  return files;
}

TEST(SigmaRules, EachRuleMatchesItsEventAndNotTheCloseOne) {
  Result<LoadedRules> loaded = LoadRules({std::string(::cordon::test::TestDataDir()) + "/sigma/rules"});
  ASSERT_TRUE(loaded);
  const nlohmann::json cases = Cases();
  ASSERT_EQ(loaded->rules.size(), 57u);
  RuleSet set(std::move(loaded->rules));
  RuleMatcher matcher(set);
  size_t tested = 0;
  for (const Rule& rule : set.rules()) {
    const std::string name = std::filesystem::path(rule.file).stem().string();
    SCOPED_TRACE(name);
    ASSERT_TRUE(cases.contains(name)) << "no case for " << name;
    const nlohmann::json& c = cases[name];
    std::vector<std::string> hit = MatchingTitles(matcher, set, c["match"]);
    EXPECT_NE(std::find(hit.begin(), hit.end(), name), hit.end()) << "the match event does not fire it";
    std::vector<std::string> miss = MatchingTitles(matcher, set, c["no_match"]);
    EXPECT_EQ(std::find(miss.begin(), miss.end(), name), miss.end())
        << "the close event fires it: " << c["why"].get<std::string>();
    ++tested;
  }
  EXPECT_EQ(tested, 57u);
}

}  // namespace
}  // namespace cordon::hunt::sigma
