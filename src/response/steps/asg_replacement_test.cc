#include "response/steps/asg_replacement.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

TEST(AsgReplacement, CandidatesAreNewServingMembersNotTakenAndNotTheReleasedInstance) {
  const std::vector<GroupMember> members = {{"i-old", "InService"},    {"i-released", "InService"},
                                            {"i-new1", "InService"},   {"i-new2", "Pending:Wait"},
                                            {"i-new3", "Terminating"}, {"i-new4", "Standby"},
                                            {"i-taken", "InService"}};
  EXPECT_EQ(ReplacementCandidates(members, {"i-old", "i-released"}, "i-released", {"i-taken"}),
            (std::vector<std::string>{"i-new1", "i-new2"}));
}

TEST(AsgReplacement, NoneWhenEveryNewMemberIsTakenOrLeaving) {
  const std::vector<GroupMember> members = {{"i-a", "InService"}, {"i-b", "Terminating:Wait"}};
  EXPECT_TRUE(ReplacementCandidates(members, {}, "i-x", {"i-a"}).empty());
}

TEST(AsgReplacement, EarliestLaunchedWinsAndTiesGoByInstanceId) {
  EXPECT_EQ(EarliestLaunched({{"i-b", "2026-12-07T10:00:02.000Z"}, {"i-a", "2026-12-07T10:00:05.000Z"}}),
            "i-b");
  EXPECT_EQ(EarliestLaunched({{"i-d", "2026-12-07T10:00:00.000Z"}, {"i-c", "2026-12-07T10:00:00.000Z"}}),
            "i-c");
  EXPECT_EQ(EarliestLaunched({}), "");
}

}  // namespace
}  // namespace cordon::response
