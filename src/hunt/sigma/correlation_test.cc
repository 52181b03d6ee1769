// Sigma correlations: parsing and resolving correlation documents, the window semantics of each type
// (correlation_engine.h), the specification's own examples, and the 8 legacy SigmaHQ rules rewritten as
// correlations (tests/data/sigma/correlations), each over an event set built from its detection that
// must fire it and a close one that must not.
#include "hunt/sigma/correlation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/time.h"
#include "hunt/sigma/correlation_engine.h"
#include "hunt/sigma/field_capture.h"
#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"
#include "testing/test_paths.h"

namespace cordon::hunt::sigma {
namespace {

// The test data is built with fmt, not "o" + std::to_string(i) + ...: GCC 12 at -O3 flags that
// operator+(const char*, string&&) with a -Wrestrict false positive (GCC bug 105329) in a Release build.

using nlohmann::json;

const std::string kCorrelations = std::string(::cordon::test::TestDataDir()) + "/sigma/correlations";

// Runs the loaded rules and correlations over records as the hunt does: the matcher, the fields the
// correlations need, then the correlations.
class Pipeline {
 public:
  explicit Pipeline(LoadedRules loaded) : loaded_(std::move(loaded)), set_(loaded_.rules) {}

  std::vector<CorrelationHit> Run(const std::vector<json>& records) {
    RuleMatcher matcher(set_);
    FieldCapture capture;
    std::vector<CorrelationEvent> events;
    std::vector<size_t> matched;
    for (const json& record : records) {
      const std::string text = record.dump();
      EXPECT_TRUE(matcher.Match(text, &matched));
      for (size_t i : matched) {
        CorrelationEvent e{i,
                           *ParseTimestamp(record["eventTime"].get<std::string>()),
                           record["eventID"].get<std::string>(),
                           {}};
        EXPECT_TRUE(capture.Capture(text, set_.rules()[i].capture_fields, &e.fields));
        events.push_back(std::move(e));
      }
    }
    return RunCorrelations(loaded_.correlations, events);
  }

  // The ids (or titles, for a correlation without id) of the correlations that fire.
  std::vector<std::string> Fired(const std::vector<json>& records) {
    std::vector<std::string> out;
    for (const CorrelationHit& h : Run(records)) {
      const Correlation& c = loaded_.correlations[h.correlation];
      out.push_back(c.id.empty() ? c.title : c.id);
    }
    return out;
  }

  const LoadedRules& loaded() const { return loaded_; }

 private:
  LoadedRules loaded_;
  RuleSet set_;
};

LoadedRules LoadText(const std::string& text) {
  LoadedRules out;
  LoadRuleText("test.yml", text, &out);
  ResolveCorrelations(&out);
  return out;
}

std::string Time(int seconds) {
  return FormatIso8601(*ParseTimestamp("2024-05-01T10:00:00Z") + std::chrono::seconds(seconds));
}

// A CloudTrail record: `fields` over a minimal base, at `seconds` after 10:00.
json Record(int seconds, const std::string& id, const json& fields) {
  json r = {{"eventVersion", "1.08"},
            {"eventTime", Time(seconds)},
            {"eventID", id},
            {"awsRegion", "us-east-1"},
            {"sourceIPAddress", "203.0.113.7"},
            {"userIdentity", {{"type", "IAMUser"}, {"arn", "arn:aws:iam::111122223333:user/mallory"}}}};
  r.update(fields);
  return r;
}

// `n` records of eventName `name` (and eventSource `source`), `step` seconds apart.
std::vector<json> Burst(int n, int step, const std::string& source, const std::string& name,
                        const std::string& prefix = "e") {
  std::vector<json> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(
        Record(i * step, prefix + std::to_string(i), {{"eventSource", source}, {"eventName", name}}));
  }
  return out;
}

void SetArn(json* record, const std::string& user) {
  (*record)["userIdentity"]["arn"] = "arn:aws:iam::111122223333:user/" + user;
}

// --- parsing and resolving ---

TEST(SigmaCorrelation, ParsesEveryAttribute) {
  LoadedRules out = LoadText(R"(title: Range
id: c-1
level: high
author: someone
correlation:
  type: value_count
  rules: [r]
  group-by: [sourceIPAddress, ip]
  timespan: 90m
  condition: {gt: 100, lte: 200, field: userIdentity.arn}
  aliases:
    ip: {r: requestParameters.ipAddress}
generate: true
---
title: R
name: r
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: X}, condition: sel}
)");
  ASSERT_EQ(out.skipped.size(), 0u) << out.skipped[0].reason;
  ASSERT_EQ(out.correlations.size(), 1u);
  const Correlation& c = out.correlations[0];
  EXPECT_EQ(c.type, CorrelationType::kValueCount);
  EXPECT_EQ(c.timespan, std::chrono::minutes(90));
  ASSERT_EQ(c.condition.size(), 2u);
  EXPECT_FALSE(c.condition[0].Holds(100));
  EXPECT_TRUE(c.condition[0].Holds(101));
  EXPECT_TRUE(c.condition[1].Holds(200));
  EXPECT_FALSE(c.condition[1].Holds(201));
  EXPECT_EQ(c.value_fields, std::vector<std::string>{"userIdentity.arn"});
  EXPECT_TRUE(c.generate);
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].group_fields,
            (std::vector<std::string>{"sourceIPAddress", "requestParameters.ipAddress"}));
  const Rule& r = out.rules[0];
  EXPECT_TRUE(r.standalone);  // generate: true
  EXPECT_EQ(r.capture_fields,
            (std::vector<std::string>{"sourceIPAddress", "requestParameters.ipAddress", "userIdentity.arn"}));
}

TEST(SigmaCorrelation, EveryConditionOperator) {
  const struct {
    CountBound::Op op;
    int64_t yes, no;
  } cases[] = {{CountBound::Op::kGt, 6, 5},  {CountBound::Op::kGte, 5, 4}, {CountBound::Op::kLt, 4, 5},
               {CountBound::Op::kLte, 5, 6}, {CountBound::Op::kEq, 5, 6},  {CountBound::Op::kNeq, 4, 5}};
  for (const auto& c : cases) {
    CountBound b{c.op, 5};
    EXPECT_TRUE(b.Holds(c.yes)) << static_cast<int>(c.op);
    EXPECT_FALSE(b.Holds(c.no)) << static_cast<int>(c.op);
  }
}

TEST(SigmaCorrelation, WhatCannotRunIsSkippedWithTheReason) {
  LoadedRules out = LoadText(R"(title: Sum
correlation: {type: value_sum, rules: [r], group-by: [x], timespan: 1h, condition: {field: n, gt: 1}}
---
title: Bad timespan
correlation: {type: event_count, rules: [r], group-by: [x], timespan: 1w, condition: {gt: 1}}
---
title: No condition
correlation: {type: event_count, rules: [r], group-by: [x], timespan: 1h}
---
title: No field
correlation: {type: value_count, rules: [r], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: Bad operator
correlation: {type: event_count, rules: [r], group-by: [x], timespan: 1h, condition: {over: 1}}
---
title: Unknown rule
correlation: {type: event_count, rules: [nope], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: Cycle A
name: a
correlation: {type: event_count, rules: [b], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: Cycle B
name: b
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: Over a skipped one
correlation: {type: temporal, rules: [r, nope_chain], group-by: [x], timespan: 1h}
---
title: Nope chain
name: nope_chain
correlation: {type: event_count, rules: [missing], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: R
name: r
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: X}, condition: sel}
)");
  EXPECT_EQ(out.correlations.size(), 0u);
  std::map<std::string, std::string> reasons;
  for (const SkippedRule& s : out.skipped) reasons[s.title] = s.reason;
  ASSERT_EQ(reasons.size(), 10u);
  EXPECT_NE(reasons["Sum"].find("value_sum"), std::string::npos);
  EXPECT_NE(reasons["Bad timespan"].find("1w"), std::string::npos);
  EXPECT_NE(reasons["No condition"].find("condition"), std::string::npos);
  EXPECT_NE(reasons["No field"].find("field"), std::string::npos);
  EXPECT_NE(reasons["Bad operator"].find("over"), std::string::npos);
  EXPECT_NE(reasons["Unknown rule"].find("'nope'"), std::string::npos);
  EXPECT_NE(reasons["Cycle A"].find("cycle"), std::string::npos);
  EXPECT_NE(reasons["Cycle B"].find("cycle"), std::string::npos);
  EXPECT_NE(reasons["Nope chain"].find("'missing'"), std::string::npos);
  EXPECT_NE(reasons["Over a skipped one"].find("'nope_chain'"), std::string::npos);
  // Nothing refers to the rule any more: it is reported on its own again.
  ASSERT_EQ(out.rules.size(), 1u);
  EXPECT_TRUE(out.rules[0].standalone);
}

TEST(SigmaCorrelation, RulesAreFoundByIdThenByNameInTheSameFileFirst) {
  LoadedRules out;
  LoadRuleText("a.yml", R"(title: R in a
id: 11111111-0000-0000-0000-000000000001
name: r
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: A}, condition: sel}
)",
               &out);
  LoadRuleText("b.yml", R"(title: By name
correlation: {type: event_count, rules: [r], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: By id
correlation: {type: event_count, rules: [11111111-0000-0000-0000-000000000001], group-by: [x], timespan: 1h, condition: {gt: 1}}
---
title: R in b
name: r
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: B}, condition: sel}
)",
               &out);
  ResolveCorrelations(&out);
  ASSERT_EQ(out.correlations.size(), 2u);
  EXPECT_EQ(out.rules[out.correlations[0].sources[0].index].title, "R in b");
  EXPECT_EQ(out.rules[out.correlations[1].sources[0].index].title, "R in a");
  for (const Rule& r : out.rules) EXPECT_FALSE(r.standalone) << r.title;
}

// --- window semantics ---

const char kBurstRule[] = R"(title: Burst
id: burst
correlation:
  type: event_count
  rules: [call]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 3}
---
title: Call
name: call
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: ListUsers}, condition: sel}
)";

TEST(SigmaCorrelationEngine, EventCountPerGroupInNonOverlappingWindows) {
  Pipeline p(LoadText(kBurstRule));
  // mallory: 7 calls a minute apart = one window of the first 7 (all within 10m); bob: 2 calls only.
  std::vector<json> records = Burst(7, 60, "iam.amazonaws.com", "ListUsers", "m");
  for (json& r : Burst(2, 60, "iam.amazonaws.com", "ListUsers", "b")) {
    SetArn(&r, "bob");
    records.push_back(r);
  }
  std::vector<CorrelationHit> hits = p.Run(records);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].group, (std::vector<std::pair<std::string, std::string>>{
                               {"userIdentity.arn", "arn:aws:iam::111122223333:user/mallory"}}));
  EXPECT_EQ(hits[0].events.size(), 7u);
  EXPECT_EQ(hits[0].last - hits[0].first, std::chrono::minutes(6));
}

TEST(SigmaCorrelationEngine, WindowsAreTimespanWideAndDoNotOverlap) {
  Pipeline p(LoadText(kBurstRule));
  // 8 calls 4 minutes apart: [0,4,8] fires, then [12,16,20], then [24,28] is too few.
  std::vector<CorrelationHit> hits = p.Run(Burst(8, 240, "iam.amazonaws.com", "ListUsers"));
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].events.size(), 3u);
  EXPECT_EQ(hits[1].first - hits[0].first, std::chrono::minutes(12));
  // 5 minutes apart: no 10-minute window (inclusive) holds 3 (0,5,10 does: exactly 10m).
  EXPECT_EQ(p.Run(Burst(3, 300, "iam.amazonaws.com", "ListUsers")).size(), 1u);
  EXPECT_EQ(p.Run(Burst(3, 301, "iam.amazonaws.com", "ListUsers")).size(), 0u);
}

TEST(SigmaCorrelationEngine, AnEventWithoutTheGroupFieldIsInNoGroup) {
  Pipeline p(LoadText(kBurstRule));
  std::vector<json> records = Burst(3, 10, "iam.amazonaws.com", "ListUsers");
  records[1]["userIdentity"].erase("arn");
  EXPECT_EQ(p.Run(records).size(), 0u);
}

TEST(SigmaCorrelationEngine, TheOrderEventsArriveInChangesNothing) {
  Pipeline p(LoadText(kBurstRule));
  std::vector<json> records = Burst(9, 100, "iam.amazonaws.com", "ListUsers");
  for (json& r : Burst(4, 30, "iam.amazonaws.com", "ListUsers", "b")) {
    SetArn(&r, "bob");
    records.push_back(r);
  }
  records.push_back(
      Record(100, "e1-twin-same-time", {{"eventSource", "iam.amazonaws.com"}, {"eventName", "ListUsers"}}));
  const std::vector<CorrelationHit> want = p.Run(records);
  ASSERT_GE(want.size(), 2u);
  std::mt19937 shuffle(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(records.begin(), records.end(), shuffle);
    Pipeline again(LoadText(kBurstRule));
    std::vector<CorrelationHit> got = again.Run(records);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].group, want[i].group);
      EXPECT_EQ(got[i].first, want[i].first);
      EXPECT_EQ(got[i].events.size(), want[i].events.size());
    }
  }
}

TEST(SigmaCorrelationEngine, ValueCountCountsDistinctValues) {
  Pipeline p(LoadText(R"(title: Many users from one address
id: vc
correlation:
  type: value_count
  rules: [failed]
  group-by: [sourceIPAddress]
  timespan: 1h
  condition: {field: userIdentity.userName, gte: 3}
---
title: Failed
name: failed
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}, condition: sel}
)"));
  auto login = [](int t, const std::string& id, const std::string& user) {
    return Record(t, id,
                  {{"eventName", "ConsoleLogin"},
                   {"responseElements", {{"ConsoleLogin", "Failure"}}},
                   {"userIdentity", {{"type", "IAMUser"}, {"userName", user}}}});
  };
  // alice twice and bob: 2 distinct values, then carol makes 3.
  std::vector<json> records = {login(0, "1", "alice"), login(60, "2", "alice"), login(120, "3", "bob")};
  EXPECT_EQ(p.Run(records).size(), 0u);
  records.push_back(login(180, "4", "carol"));
  std::vector<CorrelationHit> hits = p.Run(records);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].events.size(), 4u);
  EXPECT_EQ(hits[0].group[0].second, "203.0.113.7");
}

const char kOrderedRule[] = R"(title: Key then use
id: ordered
correlation:
  type: temporal_ordered
  rules: [create_key, use_key]
  group-by: [sourceIPAddress]
  timespan: 5m
---
title: Create key
name: create_key
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: CreateAccessKey}, condition: sel}
---
title: Use
name: use_key
logsource: {product: aws, service: cloudtrail}
detection: {sel: {eventName: GetCallerIdentity}, condition: sel}
)";

json Named(int t, const std::string& id, const std::string& name) {
  return Record(t, id, {{"eventSource", "iam.amazonaws.com"}, {"eventName", name}});
}

TEST(SigmaCorrelationEngine, TemporalOrderedNeedsTheOrderTemporalDoesNot) {
  Pipeline ordered(LoadText(kOrderedRule));
  std::string unordered_text = kOrderedRule;
  unordered_text.replace(unordered_text.find("temporal_ordered"), 16, "temporal");
  Pipeline unordered(LoadText(unordered_text));
  const std::vector<json> in_order = {Named(0, "1", "CreateAccessKey"), Named(60, "2", "GetCallerIdentity")};
  const std::vector<json> reversed = {Named(0, "1", "GetCallerIdentity"), Named(60, "2", "CreateAccessKey")};
  const std::vector<json> too_far = {Named(0, "1", "CreateAccessKey"), Named(301, "2", "GetCallerIdentity")};
  EXPECT_EQ(ordered.Run(in_order).size(), 1u);
  EXPECT_EQ(ordered.Run(reversed).size(), 0u);
  EXPECT_EQ(ordered.Run(too_far).size(), 0u);
  EXPECT_EQ(unordered.Run(in_order).size(), 1u);
  EXPECT_EQ(unordered.Run(reversed).size(), 1u);
  EXPECT_EQ(unordered.Run(too_far).size(), 0u);
  // Only one of the two rules: no temporal hit.
  EXPECT_EQ(unordered.Run({Named(0, "1", "CreateAccessKey"), Named(10, "2", "CreateAccessKey")}).size(), 0u);
  // The ordered hit lists the events that made the sequence.
  std::vector<CorrelationHit> hits =
      ordered.Run({Named(0, "1", "GetCallerIdentity"), Named(10, "2", "CreateAccessKey"),
                   Named(20, "3", "GetCallerIdentity")});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].events.size(), 2u);
  EXPECT_EQ(hits[0].last - hits[0].first, std::chrono::seconds(10));
}

TEST(SigmaCorrelationEngine, BaseRulesOfACorrelationAreNotReportedAlone) {
  LoadedRules loaded = LoadText(kOrderedRule);
  for (const Rule& r : loaded.rules) EXPECT_FALSE(r.standalone) << r.title;
  std::string text = kOrderedRule;
  text.insert(text.find("correlation:"), "generate: true\n");
  LoadedRules generated = LoadText(text);
  for (const Rule& r : generated.rules) EXPECT_TRUE(r.standalone) << r.title;
}

// --- the specification's examples ---

// "Failed Logins Followed by Successful Login", verbatim: its base rules are Windows rules, which cordon
// (CloudTrail only) skips, and the correlations over them are then skipped with the reason.
TEST(SigmaCorrelationSpec, TheVerbatimExampleIsSkippedWithReasons) {
  std::ifstream in(std::string(::cordon::test::TestDataDir()) +
                   "/sigma/specification/sigma-correlation-rules-specification.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t at = doc.find("title: Correlation - Multiple Failed Logins Followed by Successful Login");
  ASSERT_NE(at, std::string::npos);
  const std::string yaml = doc.substr(at, doc.find("```", at) - at);
  LoadedRules out = LoadText(yaml);
  EXPECT_EQ(out.rules.size(), 0u);
  EXPECT_EQ(out.correlations.size(), 0u);
  ASSERT_EQ(out.skipped.size(), 4u);
  std::map<std::string, std::string> reasons;
  for (const SkippedRule& s : out.skipped) reasons[s.title] = s.reason;
  EXPECT_NE(reasons["Single failed login"].find("not AWS CloudTrail"), std::string::npos);
  EXPECT_NE(reasons["Multiple failed logons"].find("'failed_login'"), std::string::npos);
  // Its first rule is still there when it is resolved; its second, a Windows rule, is not.
  EXPECT_NE(
      reasons["Correlation - Multiple Failed Logins Followed by Successful Login"].find("'successful_login'"),
      std::string::npos);
}

// The same example with its base rules on CloudTrail (ConsoleLogin Failure / Success, User =
// userIdentity.userName): a chain of an event_count under a temporal_ordered.
const char kSpecChain[] = R"(title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - userIdentity.userName
    timespan: 10m
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - userIdentity.userName
    timespan: 10m
    condition:
        gte: 10
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource: {product: aws, service: cloudtrail}
detection:
    selection: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
name: successful_login
logsource: {product: aws, service: cloudtrail}
detection:
    selection: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Success}
    condition: selection
)";

std::vector<json> Logins(int failures, int success_at) {
  std::vector<json> out;
  auto login = [](int t, const std::string& id, const char* outcome) {
    return Record(t, id,
                  {{"eventSource", "signin.amazonaws.com"},
                   {"eventName", "ConsoleLogin"},
                   {"responseElements", {{"ConsoleLogin", outcome}}},
                   {"userIdentity", {{"type", "IAMUser"}, {"userName", "admin"}}}});
  };
  for (int i = 0; i < failures; ++i) out.push_back(login(i * 20, fmt::format("f{}", i), "Failure"));
  out.push_back(login(success_at, "ok", "Success"));
  return out;
}

TEST(SigmaCorrelationSpec, FailedLoginsFollowedBySuccessfulLoginChain) {
  Pipeline p(LoadText(kSpecChain));
  ASSERT_EQ(p.loaded().skipped.size(), 0u) << p.loaded().skipped[0].reason;
  std::vector<CorrelationHit> hits = p.Run(Logins(10, 400));
  ASSERT_EQ(hits.size(), 1u);  // the inner event_count is not reported on its own
  EXPECT_EQ(p.loaded().correlations[hits[0].correlation].id, "b180ead8-d58f-40b2-ae54-c8940995b9b6");
  EXPECT_EQ(hits[0].events.size(), 11u);
  EXPECT_EQ(hits[0].group[0].second, "admin");
  EXPECT_EQ(p.Run(Logins(9, 400)).size(), 0u);  // too few failures
  // The success before the 10th failure is not "followed by".
  EXPECT_EQ(p.Run(Logins(10, 100)).size(), 0u);
}

// "Field Name Aliases Example", with the example's base rules given a CloudTrail logsource.
TEST(SigmaCorrelationSpec, FieldNameAliasesExample) {
  Pipeline p(LoadText(R"(title: alias example
id: alias-example
correlation:
    type: temporal
    rules:
        - internal_error
        - new_network_connection
    group-by:
        - internal_ip
        - remote_ip
    timespan: 10s
    aliases:
        internal_ip:
            internal_error: destination.ip
            new_network_connection: source.ip
        remote_ip:
            internal_error: source.ip
            new_network_connection: destination.ip
---
title: internal error
name: internal_error
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        http.response.status_code: 500
    condition: selection
---
title: new network connection
name: new_network_connection
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        event.category: network
        event.type: connection
        event.outcome: success
    condition: selection
)"));
  auto error = [](int t, const char* dst, const char* src) {
    return Record(t, "err",
                  {{"http", {{"response", {{"status_code", 500}}}}},
                   {"destination", {{"ip", dst}}},
                   {"source", {{"ip", src}}}});
  };
  auto connection = [](int t, const char* src, const char* dst) {
    return Record(t, "conn",
                  {{"event", {{"category", "network"}, {"type", "connection"}, {"outcome", "success"}}},
                   {"source", {{"ip", src}}},
                   {"destination", {{"ip", dst}}}});
  };
  // The error's destination is the connection's source, and the other way round.
  std::vector<CorrelationHit> hits =
      p.Run({error(0, "10.0.0.5", "198.51.100.9"), connection(5, "10.0.0.5", "198.51.100.9")});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].group, (std::vector<std::pair<std::string, std::string>>{{"internal_ip", "10.0.0.5"},
                                                                             {"remote_ip", "198.51.100.9"}}));
  // The same addresses in the same fields of both (no alias swap): no common group.
  EXPECT_EQ(p.Run({error(0, "10.0.0.5", "198.51.100.9"), connection(5, "198.51.100.9", "10.0.0.5")}).size(),
            0u);
  EXPECT_EQ(p.Run({error(0, "10.0.0.5", "198.51.100.9"), connection(11, "10.0.0.5", "198.51.100.9")}).size(),
            0u);
}

// --- the 8 legacy rules, rewritten ---

struct LegacyCase {
  const char* file;
  const char* id;
  std::vector<json> fires;
  std::vector<json> close;
  const char* why;  // what the close set changes
};

std::vector<json> Mixed(const std::vector<std::string>& names, int step, const std::string& source) {
  std::vector<json> out;
  for (size_t i = 0; i < names.size(); ++i) {
    out.push_back(Record(static_cast<int>(i) * step, fmt::format("m{}", i),
                         {{"eventSource", source}, {"eventName", names[i]}}));
  }
  return out;
}

std::vector<LegacyCase> LegacyCases() {
  std::vector<LegacyCase> cases;
  {
    std::vector<json> fires = Burst(11, 120, "ec2.amazonaws.com", "DescribeInstanceAttribute");
    for (json& r : fires) r["requestParameters"] = {{"instanceId", "i-0abc"}, {"attribute", "userData"}};
    std::vector<json> close = Burst(11, 240, "ec2.amazonaws.com", "DescribeInstanceAttribute");
    for (json& r : close) r["requestParameters"] = {{"instanceId", "i-0abc"}, {"attribute", "userData"}};
    cases.push_back({"aws_ec2_download_userdata.yml", "26ff4080-194e-47e7-9889-ef7602efed0c", fires, close,
                     "11 userData reads 4 minutes apart: at most 8 in any 30 minutes, not more than 10"});
  }
  {
    const std::vector<std::string> names = {"GetPasswordData",           "DescribeVolumes",
                                            "DescribeSnapshotAttribute", "DescribeImages",
                                            "GetEbsEncryptionByDefault", "DescribeVolumesModifications"};
    std::vector<std::string> close_names = names;
    close_names[5] = "DescribeInstances";  // not a backup call
    cases.push_back({"aws_enum_backup.yml", "76255e09-755e-4675-8b6b-dbce9842cd2a",
                     Mixed(names, 30, "ec2.amazonaws.com"), Mixed(close_names, 30, "ec2.amazonaws.com"),
                     "one of the 6 calls is DescribeInstances: 5, not more than 5"});
  }
  {
    std::vector<json> fires = Burst(51, 10, "iam.amazonaws.com", "ListRoles");
    std::vector<json> close = fires;
    for (size_t i = 0; i < close.size(); i += 2) SetArn(&close[i], "other");
    cases.push_back({"aws_enum_listing.yml", "e9c14b23-47e2-4a8b-8a63-d36618e33d70", fires, close,
                     "the 51 List calls come from two identities: 26 and 25, neither more than 50"});
  }
  {
    const std::vector<std::string> names = {"DescribeCarrierGateways",
                                            "DescribeVpcEndpointConnectionNotifications",
                                            "DescribeTransitGatewayMulticastDomains",
                                            "DescribeClientVpnRoutes",
                                            "DescribeDhcpOptions",
                                            "GetTransitGatewayRouteTableAssociations"};
    std::vector<json> close = Mixed(names, 30, "ec2.amazonaws.com");
    close[5]["eventTime"] = Time(11 * 60);
    cases.push_back({"aws_enum_network.yml", "c3d53999-4b14-4ddd-9d9b-e618c366b54d",
                     Mixed(names, 30, "ec2.amazonaws.com"), close,
                     "the 6th call comes 11 minutes after the first: 5 in any 10 minutes"});
  }
  {
    const std::vector<std::string> names = {"ListBuckets",
                                            "GetBucketCors",
                                            "GetBucketPolicy",
                                            "GetBucketTagging",
                                            "GetBucketPublicAccessBlock",
                                            "GetBucketMetricsConfiguration"};
    std::vector<json> close = Mixed(names, 30, "s3.amazonaws.com");
    close[2]["eventSource"] = "ec2.amazonaws.com";
    cases.push_back({"aws_enum_storage.yml", "4723218f-2048-41f6-bcb0-417f2d784f61",
                     Mixed(names, 30, "s3.amazonaws.com"), close,
                     "one call's eventSource is not S3: 5, not more than 5"});
  }
  {
    std::vector<json> fires = {Named(0, "c", "CreateFunction"), Named(120, "i", "Invoke")};
    for (json& r : fires) r["eventSource"] = "lambda.amazonaws.com";
    std::vector<json> close = fires;
    SetArn(&close[1], "someone-else");
    cases.push_back({"aws_lambda_function_created_or_invoked.yml", "d914951b-52c8-485f-875e-86abab710c0b",
                     fires, close, "the function is invoked by another identity"});
  }
  {
    const std::vector<std::string> names = {"ArchiveFindings", "CreateFindingsFilter",
                                            "DisableMacie",    "UpdateFindingsFilter",
                                            "DeleteMember",    "UpdateMacieSession"};
    std::vector<json> close = Mixed(names, 30, "macie2.amazonaws.com");
    close[0]["sourceIPAddress"] = "198.51.100.1";
    cases.push_back({"aws_macic_evasion.yml", "91f6a16c-ef71-437a-99ac-0b070e3ad221",
                     Mixed(names, 30, "macie2.amazonaws.com"), close,
                     "one call comes from another source IP: 5 from the first, not more than 5"});
  }
  {
    std::vector<json> fires = {Named(0, "u", "UpdateAccountSendingEnabled"),
                               Named(200, "v", "VerifyEmailIdentity")};
    for (json& r : fires) r["eventSource"] = "ses.amazonaws.com";
    std::vector<json> close = fires;
    close[1]["eventTime"] = Time(301);
    cases.push_back({"aws_ses_messaging_enabled.yml", "60b84424-a724-4502-bd0d-cc676e1bc90e", fires, close,
                     "the verification comes 5 minutes and 1 second later"});
  }
  return cases;
}

TEST(SigmaLegacyRewritten, EveryLegacyRuleHasItsCorrelationAndAttribution) {
  Result<LoadedRules> legacy = LoadRules({std::string(::cordon::test::TestDataDir()) + "/sigma/unsupported"});
  Result<LoadedRules> rewritten = LoadRules({kCorrelations});
  ASSERT_TRUE(legacy && rewritten);
  for (const SkippedRule& s : rewritten->skipped) ADD_FAILURE() << s.file << ": " << s.reason;
  ASSERT_EQ(rewritten->correlations.size(), 8u);
  ASSERT_EQ(legacy->skipped.size(), 8u);
  for (const Correlation& c : rewritten->correlations) {
    EXPECT_NE(c.description.find("Rewritten as a correlation by cordon"), std::string::npos) << c.file;
    EXPECT_FALSE(c.author.empty()) << c.file;
    EXPECT_TRUE(c.reported) << c.file;
    const std::string stem = std::filesystem::path(c.file).filename().string();
    const bool has_original =
        std::any_of(legacy->skipped.begin(), legacy->skipped.end(), [&](const SkippedRule& s) {
          return std::filesystem::path(s.file).filename().string() == stem && s.title == c.title;
        });
    EXPECT_TRUE(has_original) << c.file << ": no legacy rule of that file name and title";
  }
  for (const Rule& r : rewritten->rules) EXPECT_FALSE(r.standalone) << r.file << ": " << r.title;
}

TEST(SigmaLegacyRewritten, EachFiresOnItsEventsAndNotOnTheCloseOnes) {
  for (const LegacyCase& c : LegacyCases()) {
    SCOPED_TRACE(c.file);
    Result<LoadedRules> loaded = LoadRules({kCorrelations + "/" + c.file});
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->correlations.size(), 1u);
    Pipeline p(std::move(*loaded));
    EXPECT_EQ(p.Fired(c.fires), std::vector<std::string>{c.id});
    EXPECT_EQ(p.Fired(c.close), std::vector<std::string>{}) << c.why;
  }
}

}  // namespace
}  // namespace cordon::hunt::sigma
