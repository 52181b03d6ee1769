// Finalize's order against a plain stable sort of the same lists: it sorts through indices and moves each
// element once along the permutation's cycles, so every element must land where the sort puts it.
#include "hunt/results.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

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
      m.rule.id = "rule-" + std::to_string(rng() % 3);
      m.event = Event(rng, n);
      r.sigma_matches.push_back(m);
    }
    std::vector<CloudTrailEvent> events = r.events;
    std::stable_sort(events.begin(), events.end(), [](const CloudTrailEvent& a, const CloudTrailEvent& b) {
      return std::tie(a.time, a.event_id, a.file) < std::tie(b.time, b.event_id, b.file);
    });
    std::vector<SigmaMatch> matches = r.sigma_matches;
    std::stable_sort(matches.begin(), matches.end(), [](const SigmaMatch& a, const SigmaMatch& b) {
      return std::tie(a.event.time, a.event.event_id, a.rule.id, a.rule.file, a.event.file) <
             std::tie(b.event.time, b.event.event_id, b.rule.id, b.rule.file, b.event.file);
    });
    r.Finalize();
    // Every id is unique or empty here, so nothing is dropped as a duplicate.
    ASSERT_EQ(r.events.size(), events.size());
    for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(r.events[i].user_agent, events[i].user_agent) << i;
    ASSERT_EQ(r.sigma_matches.size(), matches.size());
    for (size_t i = 0; i < matches.size(); ++i) {
      ASSERT_EQ(r.sigma_matches[i].event.user_agent, matches[i].event.user_agent) << i;
      ASSERT_EQ(r.sigma_matches[i].rule.id, matches[i].rule.id) << i;
    }
  }
}

}  // namespace
}  // namespace cordon::hunt
