// Finalize's order against a plain stable sort of the same lists: it sorts through indices and moves each
// element once along the permutation's cycles, so every element must land where the sort puts it. And a
// Sigma match's packed event against the CloudTrailEvent it was made from.
#include "hunt/results.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <tuple>

#include "hunt/output.h"

namespace cordon::hunt {
namespace {

CloudTrailEvent Event(std::mt19937& rng, int n) {
  CloudTrailEvent e;
  e.time = TimePoint{} + std::chrono::seconds(rng() % 7);   // many ties: the stable order decides
  e.event_id = rng() % 3 ? "id-" + std::to_string(n) : "";  // no eventID: never merged as a duplicate
  e.file = "f" + std::to_string(rng() % 2);
  e.user_agent = "agent of " + std::to_string(n) + std::string(40, 'x');  // heap-allocated: really moved
  return e;
}

TEST(HuntResultsFinalize, SortsEventsAndMatchesAsAStableSortWould) {
  std::mt19937 rng(14);
  for (int round = 0; round < 50; ++round) {
    HuntResults r;
    const int count = static_cast<int>(rng() % 200);
    for (int n = 0; n < count; ++n) {
      r.events.push_back(Event(rng, n));
      SigmaMatch m;
      auto rule = std::make_shared<SigmaRuleInfo>();
      rule->id = "rule-" + std::to_string(rng() % 3);
      m.rule = std::move(rule);
      m.event = SigmaEvent(Event(rng, n));
      r.sigma_matches.push_back(m);
    }
    std::vector<CloudTrailEvent> events = r.events;
    std::stable_sort(events.begin(), events.end(), [](const CloudTrailEvent& a, const CloudTrailEvent& b) {
      return std::tie(a.time, a.event_id, a.file) < std::tie(b.time, b.event_id, b.file);
    });
    std::vector<SigmaMatch> matches = r.sigma_matches;
    std::stable_sort(matches.begin(), matches.end(), [](const SigmaMatch& a, const SigmaMatch& b) {
      return std::forward_as_tuple(a.event.time, a.event.event_id(), a.rule->id, a.rule->file,
                                   a.event.file()) < std::forward_as_tuple(b.event.time, b.event.event_id(),
                                                                           b.rule->id, b.rule->file,
                                                                           b.event.file());
    });
    r.Finalize();
    // Every id is unique or empty here, so nothing is dropped as a duplicate.
    ASSERT_EQ(r.events.size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(r.events[i].user_agent, events[i].user_agent) << i;
    ASSERT_EQ(r.sigma_matches.size(), matches.size());
    for (size_t i = 0; i < matches.size(); ++i) {
      ASSERT_EQ(r.sigma_matches[i].event.user_agent(), matches[i].event.user_agent()) << i;
      ASSERT_EQ(r.sigma_matches[i].rule->id, matches[i].rule->id) << i;
    }
  }
}

// A Sigma match keeps only what the output prints of its event: every output format must print the same
// as from the whole CloudTrailEvent.
TEST(SigmaEvent, KeepsEveryFieldTheOutputPrints) {
  CloudTrailEvent e;
  e.by = true;
  e.event_id = "3a4c6a0e-5b7f-4f5e-9d1a-8f2e6c1b0a11";
  e.event_time = "2024-03-01T00:00:00Z";
  e.time = TimePoint{} + std::chrono::seconds(1709251200);
  e.event_source = "sts.amazonaws.com";
  e.event_name = "AssumeRole";
  e.aws_region = "us-east-1";
  e.source_ip = "203.0.113.7";
  e.user_agent = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2";
  e.error_code = "";  // empty fields stay empty (the JSON's null)
  e.identity_type = "AssumedRole";
  e.identity_arn = "arn:aws:sts::111122223333:assumed-role/app/i-0feedface0000001";
  e.principal_id = "AROAEXAMPLE:i-0feedface0000001";
  e.access_key_id = "ASIAEXAMPLE000000001";
  e.resources = {"arn:aws:iam::111122223333:role/admin"};
  e.hits = {{"i-0feedface0000001", "userIdentity.arn"}};
  e.file = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/x.json.gz";
  e.assumed_from = "arn:aws:sts::111122223333:assumed-role/app/other";
  const SigmaEvent packed(e);
  EXPECT_EQ(EventToJson(packed.Expand()), EventToJson(e));
  EXPECT_EQ(packed.time, e.time);
  EXPECT_EQ(packed.event_id(), e.event_id);
  EXPECT_EQ(packed.event_time(), e.event_time);
  EXPECT_EQ(packed.error_code(), "");
  EXPECT_EQ(packed.identity_arn(), e.identity_arn);
  EXPECT_EQ(packed.file(), e.file);
  EXPECT_EQ(packed.assumed_from(), e.assumed_from);
  EXPECT_EQ(IdentityText(packed.identity_arn(), packed.identity_type()), IdentityText(e));
  const SigmaEvent empty{CloudTrailEvent{}};
  EXPECT_EQ(EventToJson(empty.Expand()), EventToJson(CloudTrailEvent{}));
  EXPECT_EQ(IdentityText(empty.identity_arn(), empty.identity_type()), "-");
}

}  // namespace
}  // namespace cordon::hunt
