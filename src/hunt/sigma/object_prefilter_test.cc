// The object prefilter against evaluating every rule: every record some rule matches holds a trigger,
// over delivery objects built from the real samples, the 57 rules' own cases and the records whose raw
// bytes a literal search could misread; and it prunes.
#include "hunt/sigma/object_prefilter.h"

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

using test::SigmaHqRules;

std::vector<std::string> SampleLines() {
  std::vector<std::string> records;
  for (const nlohmann::json& r : test::SampleRecords()) records.push_back(r.dump());
  return records;
}

std::vector<std::string> RuleCaseRecords() {
  std::ifstream in(std::string(::cordon::test::SourceDir()) + "/src/hunt/sigma/testdata/rule_cases.json");
  std::vector<std::string> records;
  const nlohmann::json cases = nlohmann::json::parse(in);
  for (const auto& [name, c] : cases.items()) {
    records.push_back(c["match"].dump());
    records.push_back(c["no_match"].dump(1));  // pretty-printed: whitespace around the colons
  }
  return records;
}

// Records whose raw bytes are not their parsed values; each fires a rule (rule_index_test.cc).
const std::vector<std::string> kTrickyRecords = {
    R"({"event\u004eame":"DeleteTrail","eventSource":"cloudtrail.amazonaws.com"})",
    R"({"eventName":"Delete\u0054rail","eventSource":"cloudtrail.amazonaws.com"})",
    R"({"userIdentity":{"arn":"arn:aws:sts::1:assumed-role\/aws:ec2-instance\/i-1"}})",
    R"({"eventName":["GetObject","DeleteTrail"],"eventSource":"cloudtrail.amazonaws.com"})",
    R"({"eventName":"DELETETRAIL","eventSource":"CloudTrail.amazonaws.com"})",
    R"({"eventName":"ConsoleLogin","additionalEventData.MFAUsed":"NO","responseElements":{"ConsoleLogin":"Success"}})",
    R"({"userIdentity.type":"Root","eventName":"x"})",
    R"({"userIdentity":{"sessionContext.sessionIssuer.type":"Role","type":"AssumedRole"}})",
    // One record, split over two lines for its length: the adjacent literals are meant to join.
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
    "{\"requestParameters\":{\"eventName\" : \"x\"},\n \"eventName\"\t:\n\"DeleteTrail\", "
    "\"eventSource\": \"cloudtrail.amazonaws.com\"}",
    R"({"eventName":"ConsoleLogin","errorMessage":"Failed authentication","x":{"eventName":7}})",
    // The deciding key at another depth than the record's own: inside an array of objects.
    R"({"userIdentity":{"type":"IAMUser"},"resources":[{"x":{"userAgent":"TruffleHog"}}],"userAgent":["a","TruffleHog"]})",
    R"({"userIdentity":{"arn":"arn:aws:sts::1:ASSUMED-ROLE/aws:x/y","type":"AssumedRole"}})",
};

// A delivery object of `records` and where each record lies in it.
struct Object {
  std::string text;
  std::vector<std::pair<size_t, size_t>> spans;
};

Object Delivery(const std::vector<std::string>& records, size_t from, size_t count) {
  Object o;
  o.text = "{\"Records\":[";
  for (size_t i = from; i < from + count && i < records.size(); ++i) {
    if (i > from) o.text += ",";
    o.spans.emplace_back(o.text.size(), o.text.size() + records[i].size());
    o.text += records[i];
  }
  o.text += "]}";
  return o;
}

bool MatchesSomeRule(const RuleSet& set, std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(text.data(), text.size()).get(root), simdjson::SUCCESS) << text;
  std::vector<size_t> matched;
  RuleMatcher(set).MatchEvent(Event(root), &matched);
  return !matched.empty();
}

// Checks that every record of `o` some rule matches holds a trigger; returns how many records hold one.
size_t ExpectEveryMatchTriggered(const RuleSet& set, const Object& o) {
  std::vector<size_t> offsets;
  EXPECT_TRUE(ObjectPrefilter(set, PlainFind).Triggers(o.text, o.text.size(), &offsets));
  EXPECT_TRUE(std::is_sorted(offsets.begin(), offsets.end()));
  size_t triggered = 0;
  for (const auto& [begin, end] : o.spans) {
    auto it = std::lower_bound(offsets.begin(), offsets.end(), begin);
    const bool held = it != offsets.end() && *it < end;
    triggered += held;
    if (!held) {
      EXPECT_FALSE(MatchesSomeRule(set, std::string_view(o.text).substr(begin, end - begin)))
          << "a matching record without a trigger: "
          << o.text.substr(begin, std::min<size_t>(end - begin, 400));
    }
  }
  return triggered;
}

TEST(SigmaObjectPrefilter, EveryMatchingSampleRecordHoldsATriggerAndFewOthersDo) {
  RuleSet set = SigmaHqRules();
  ASSERT_TRUE(ObjectPrefilter(set, PlainFind).narrows());
  const std::vector<std::string> records = SampleLines();
  ASSERT_GT(records.size(), 1000u);
  size_t triggered = 0;
  size_t matching = 0;
  for (size_t from = 0; from < records.size(); from += 100) {
    triggered += ExpectEveryMatchTriggered(set, Delivery(records, from, 100));
  }
  for (const std::string& r : records) matching += MatchesSomeRule(set, r);
  EXPECT_GT(matching, 100u);  // the samples fire rules: the check is not over records no rule matches
  EXPECT_GE(triggered, matching);
  // It prunes: the attack samples fire rules on a fair share of their records, but far from all.
  EXPECT_LT(triggered, records.size() * 3 / 4);
}

TEST(SigmaObjectPrefilter, EveryRuleCaseAndTrickyRecordMatchingHoldsATrigger) {
  RuleSet set = SigmaHqRules();
  std::vector<std::string> records = RuleCaseRecords();
  records.insert(records.end(), kTrickyRecords.begin(), kTrickyRecords.end());
  // One record per object (the key next to the object's own brackets), and all of them in one.
  for (size_t i = 0; i < records.size(); ++i) ExpectEveryMatchTriggered(set, Delivery(records, i, 1));
  const Object all = Delivery(records, 0, records.size());
  EXPECT_GE(ExpectEveryMatchTriggered(set, all), RuleCaseRecords().size() / 2);
}

TEST(SigmaObjectPrefilter, AnEscapeTriggersItsRecordOnly) {
  RuleSet set = SigmaHqRules();
  const std::vector<std::string> records = {
      R"({"eventName":"DescribeInstances","userAgent":"aws-cli"})",
      R"({"eventName":"DescribeInstances","userAgent":"caf\u00e9"})",
      R"({"eventName":"DescribeInstances","userAgent":"aws-cli"})",
  };
  const Object o = Delivery(records, 0, records.size());
  std::vector<size_t> offsets;
  ASSERT_TRUE(ObjectPrefilter(set, PlainFind).Triggers(o.text, o.text.size(), &offsets));
  ASSERT_FALSE(offsets.empty());  // the escape, and the user agent it makes unreadable
  for (size_t at : offsets) {
    EXPECT_GE(at, o.spans[1].first);
    EXPECT_LT(at, o.spans[1].second);
  }
}

// The IMDS rule's `:assumed-role/aws:` and the TruffleHog rules' user agent are searched for in the
// whole object; absent, only the records with a backslash are theirs, where an escape can hide them.
TEST(SigmaObjectPrefilter, AnAbsentLiteralLeavesOnlyTheRecordsWithABackslash) {
  RuleSet set = SigmaHqRules();
  const std::vector<std::string> records = {
      R"({"eventName":"NoRuleEvent","userAgent":"aws-cli","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"}})",
      R"({"eventName":"NoRuleEvent","userAgent":"say \"hi\"","userIdentity":{"type":"IAMUser","arn":"x"}})",
      R"({"eventName":"NoRuleEvent","userIdentity":{"type":"IAMUser","arn":"arn:aws:sts::1:assumed-role\/aws:x\/i-1"}})",
      R"({"eventName":"NoRuleEvent","userAgent":"aws-cli","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"}})",
  };
  const Object o = Delivery(records, 0, records.size());
  ASSERT_TRUE(MatchesSomeRule(set, records[2]));  // the IMDS rule, through `\/`
  EXPECT_EQ(ExpectEveryMatchTriggered(set, o), 2u);
  std::vector<size_t> offsets;
  ASSERT_TRUE(ObjectPrefilter(set, PlainFind).Triggers(o.text, o.text.size(), &offsets));
  for (size_t at : offsets) {
    EXPECT_TRUE((at >= o.spans[1].first && at < o.spans[1].second) ||
                (at >= o.spans[2].first && at < o.spans[2].second))
        << at;
  }
}

TEST(SigmaObjectPrefilter, AnObjectNoRuleCanMatchHasNoTrigger) {
  RuleSet set = SigmaHqRules();
  const std::vector<std::string> records = {
      // GetCallerIdentity is pinned by the TruffleHog rule, which also needs its user agent.
      R"({"eventName":"GetCallerIdentity","userAgent":"aws-cli/2.15","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"}})",
      // Not `AssumedRole`: a record holding that is the role-session rule's candidate whatever its issuer
      // (an `and` takes its first operand with few offsets; the rule index then rejects it).
      R"({"eventName":"DescribeInstances","userIdentity":{"type":"FederatedUser","sessionContext":{"sessionIssuer":{"type":"Role"}}}})",
  };
  std::vector<size_t> offsets;
  ASSERT_TRUE(ObjectPrefilter(set, PlainFind).Triggers(Delivery(records, 0, 2).text, 1 << 20, &offsets));
  EXPECT_TRUE(offsets.empty());
}

TEST(SigmaObjectPrefilter, TooManyOccurrencesForTheCapIsNotNarrowed) {
  RuleSet set = SigmaHqRules();
  std::vector<std::string> records(50, R"({"eventName":"DeleteTrail","userAgent":"x"})");
  std::vector<size_t> offsets;
  EXPECT_TRUE(ObjectPrefilter(set, PlainFind).Triggers(Delivery(records, 0, 50).text, 1000, &offsets));
  EXPECT_FALSE(ObjectPrefilter(set, PlainFind).Triggers(Delivery(records, 0, 50).text, 20, &offsets));
}

TEST(SigmaObjectPrefilter, ARuleThatNeedsNothingOfARecordIsNotNarrowed) {
  LoadedRules loaded;
  LoadRuleText("not.yml", R"(title: Anything but a console login
id: 00000000-0000-0000-0000-000000000001
logsource:
  product: aws
  service: cloudtrail
detection:
  login:
    eventName: ConsoleLogin
  condition: not login
)",
               &loaded);
  ASSERT_EQ(loaded.rules.size(), 1u);
  RuleSet set(std::move(loaded.rules));
  EXPECT_FALSE(ObjectPrefilter(set, PlainFind).narrows());
  std::vector<size_t> offsets;
  EXPECT_FALSE(
      ObjectPrefilter(set, PlainFind).Triggers(R"({"Records":[{"eventName":"x"}]})", 1000, &offsets));
}

// A prefilter's first object has each search on its own, the later ones the searches most objects
// asked for in one pass (object_literal.h's FindAllInObject): the triggers must be the same, also when
// the cap is reached.
TEST(SigmaObjectPrefilter, TheOnePassSearchesGiveTheSameTriggersAsTheSearchesOnTheirOwn) {
  RuleSet set = SigmaHqRules();
  std::vector<std::string> records = SampleLines();
  const std::vector<std::string> cases = RuleCaseRecords();
  records.insert(records.end(), cases.begin(), cases.end());
  records.insert(records.end(), kTrickyRecords.begin(), kTrickyRecords.end());
  const ObjectPrefilter used(set, PlainFind);
  for (size_t from = 0; from < records.size(); from += 50) {
    const Object o = Delivery(records, from, 50);
    for (size_t cap : {o.text.size(), size_t{40}}) {
      std::vector<size_t> alone;
      std::vector<size_t> one_pass;
      const bool narrowed = ObjectPrefilter(set, PlainFind).Triggers(o.text, cap, &alone);
      ASSERT_EQ(used.Triggers(o.text, cap, &one_pass), narrowed) << from << " cap " << cap;
      if (narrowed) {
        EXPECT_EQ(one_pass, alone) << from << " cap " << cap;
      }
    }
  }
}

}  // namespace
}  // namespace cordon::hunt::sigma
