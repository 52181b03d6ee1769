// The indexed matcher against the plain one (every rule on every event): the same matches over the real
// CloudTrail samples in tests/data/cloudtrail, the 57 rules' own cases, and the records whose raw bytes a
// literal search could misread (escapes, dotted keys, arrays, whitespace, case).
#include "hunt/sigma/rule_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"
#include "hunt/sigma/test_samples.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma {
namespace {

using test::SampleRecords;
using test::SigmaHqRules;

nlohmann::json RuleCases() {
  std::ifstream in(std::string(::cordon::test::SourceDir()) + "/src/hunt/sigma/testdata/rule_cases.json");
  return nlohmann::json::parse(in);
}

// The matches of evaluating every rule on the parsed record.
std::vector<size_t> EveryRule(const RuleSet& set, const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(text).get(root), simdjson::SUCCESS) << text;
  std::vector<size_t> matched;
  RuleMatcher(set).MatchEvent(Event(root), &matched);
  return matched;
}

std::vector<size_t> Indexed(RuleMatcher& matcher, const std::string& text) {
  std::vector<size_t> matched;
  EXPECT_TRUE(matcher.Match(text, &matched)) << text;
  return matched;
}

TEST(SigmaRuleIndex, FiftyTwoRulesAreFoundByTheirEventName) {
  RuleSet set = SigmaHqRules();
  EXPECT_EQ(set.index().by_event_name(), 52u);
}

TEST(SigmaRuleIndex, SameMatchesAsEveryRuleOnEveryEventOverTheSamples) {
  RuleSet set = SigmaHqRules();
  RuleMatcher matcher(set);
  const std::vector<nlohmann::json> records = SampleRecords();
  ASSERT_GT(records.size(), 1000u);
  size_t matches = 0;
  size_t candidates = 0;
  std::unique_ptr<RuleIndex::Scratch> scratch = set.index().NewScratch();
  std::vector<size_t> found;
  for (const nlohmann::json& record : records) {
    for (const std::string& text : {record.dump(), record.dump(2)}) {
      const std::vector<size_t> expected = EveryRule(set, text);
      EXPECT_EQ(Indexed(matcher, text), expected) << text.substr(0, 400);
      matches += expected.size();
      set.index().Candidates(text, scratch.get(), &found);
      candidates += found.size();
    }
  }
  EXPECT_GT(matches, 100u);  // the samples fire rules: the comparison is not of two empty lists
  // The index prunes: far fewer candidates than rules x records (a broken index that returns every rule
  // would still give the same matches).
  EXPECT_LT(candidates, records.size() * 2 * 57 / 10);
}

TEST(SigmaRuleIndex, SameMatchesOnTheRulesOwnCases) {
  RuleSet set = SigmaHqRules();
  RuleMatcher matcher(set);
  size_t matches = 0;
  const nlohmann::json cases = RuleCases();
  for (const auto& [name, c] : cases.items()) {
    SCOPED_TRACE(name);
    for (const char* which : {"match", "no_match"}) {
      const std::string text = c[which].dump();
      const std::vector<size_t> expected = EveryRule(set, text);
      EXPECT_EQ(Indexed(matcher, text), expected) << which;
      matches += expected.size();
    }
  }
  EXPECT_GE(matches, 57u);
}

// Records a literal search of the raw bytes could get wrong; each fires a rule under the plain matcher.
TEST(SigmaRuleIndex, RawBytesThatAreNotTheParsedValue) {
  RuleSet set = SigmaHqRules();
  RuleMatcher matcher(set);
  const std::vector<std::string> records = {
      // The key spelt with an escape.
      R"({"event\u004eame":"DeleteTrail","eventSource":"cloudtrail.amazonaws.com"})",
      // The value spelt with an escape.
      R"({"eventName":"Delete\u0054rail","eventSource":"cloudtrail.amazonaws.com"})",
      R"({"userIdentity":{"arn":"arn:aws:sts::1:assumed-role\/aws:ec2-instance\/i-1"}})",
      // A list where a string was expected: every element is followed.
      R"({"eventName":["GetObject","DeleteTrail"],"eventSource":"cloudtrail.amazonaws.com"})",
      // Case: Sigma values are case-insensitive.
      R"({"eventName":"DELETETRAIL","eventSource":"CloudTrail.amazonaws.com"})",
      // A dotted key holding the rest of the path.
      R"({"eventName":"ConsoleLogin","additionalEventData.MFAUsed":"NO","responseElements":{"ConsoleLogin":"Success"}})",
      R"({"userIdentity.type":"Root","eventName":"x"})",
      R"({"userIdentity":{"sessionContext.sessionIssuer.type":"Role","type":"AssumedRole"}})",
      // Whitespace around the colon, and an eventName nested deeper than the record's own.
      // One record, split over two lines for its length: the adjacent literals are meant to join.
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
      "{\"requestParameters\":{\"eventName\" : \"x\"},\n \"eventName\"\t:\n\"DeleteTrail\", "
      "\"eventSource\": \"cloudtrail.amazonaws.com\"}",
      // A number where the rule wants a string.
      R"({"eventName":"ConsoleLogin","errorMessage":"Failed authentication","x":{"eventName":7}})",
  };
  for (const std::string& text : records) {
    const std::vector<size_t> expected = EveryRule(set, text);
    EXPECT_FALSE(expected.empty()) << "the case does not test anything: " << text;
    EXPECT_EQ(Indexed(matcher, text), expected) << text;
  }
}

TEST(SigmaRuleIndex, ARecordNoRuleCanMatchIsNotParsed) {
  RuleSet set = SigmaHqRules();
  RuleMatcher matcher(set);
  std::vector<size_t> matched;
  // Not JSON past the eventName: no rule pins DescribeInstances, so the parser never sees it.
  EXPECT_TRUE(
      matcher.Match(R"({"eventName":"DescribeInstances","userIdentity":{"type":"IAMUser"},)", &matched));
  EXPECT_TRUE(matched.empty());
  // A candidate is parsed, and invalid JSON is reported.
  EXPECT_FALSE(
      matcher.Match(R"({"eventName":"DeleteTrail","eventSource":"cloudtrail.amazonaws.com",)", &matched));
}

}  // namespace
}  // namespace cordon::hunt::sigma
