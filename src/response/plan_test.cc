#include "response/plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cordon::response {
namespace {

cloud::ResolvedTarget PlanTarget() {
  return cloud::ResolvedTarget{"i-0abc", "us-east-1", "vpc-1", "running", "instance id"};
}

std::vector<std::string> Names(const Plan& plan) {
  std::vector<std::string> out;
  for (const PlanStep& s : plan.steps) out.push_back(s.name);
  return out;
}

size_t StepPos(const Plan& plan, const std::string& name) {
  auto names = Names(plan);
  return std::find(names.begin(), names.end(), name) - names.begin();
}

// DESIGN.md §3 rule 2: tag -> protect -> Auto Scaling -> load balancers -> network -> credentials
// -> snapshots, and every step after the pre-state is recorded (rule 1).
TEST(PlanTest, ContainPlanFollowsTheSafeOrder) {
  Plan plan = BuildContainPlan(PlanTarget(), {});
  std::vector<std::string> order = {"record-pre-state", "tag",         "protect", "asg", "deregister-lb",
                                    "isolate-network",  "credentials", "snapshot"};
  for (size_t i = 1; i < order.size(); ++i)
    EXPECT_LT(StepPos(plan, order[i - 1]), StepPos(plan, order[i])) << order[i];
  EXPECT_LT(StepPos(plan, "deregister-lb"), StepPos(plan, "disassociate-eip"));
  EXPECT_LT(StepPos(plan, "disassociate-eip"), StepPos(plan, "credentials"));
  EXPECT_EQ(plan.steps[0].name, "record-pre-state");
  EXPECT_TRUE(plan.steps[0].after.empty());
  // The Auto Scaling step must finish before the network is cut.
  const PlanStep& net = plan.steps[StepPos(plan, "isolate-network")];
  EXPECT_NE(std::find(net.after.begin(), net.after.end(), "asg"), net.after.end());
}

TEST(PlanTest, DependenciesOnlyNameEarlierSteps) {
  Plan plan = BuildContainPlan(PlanTarget(), {});
  for (size_t i = 0; i < plan.steps.size(); ++i)
    for (const std::string& dep : plan.steps[i].after) EXPECT_LT(StepPos(plan, dep), i) << plan.steps[i].name;
}

TEST(PlanTest, SkippedStepKeepsTheOrderThroughItsDependencies) {
  StepSelection sel;
  sel.skip = {"asg", "deregister-lb"};
  Plan plan = BuildContainPlan(PlanTarget(), sel);
  EXPECT_EQ(StepPos(plan, "asg"), plan.steps.size());
  const PlanStep& net = plan.steps[StepPos(plan, "isolate-network")];
  EXPECT_EQ(net.after, std::vector<std::string>({"protect"}));
}

TEST(PlanTest, OnlyAlwaysKeepsThePreState) {
  StepSelection sel;
  sel.only = {"snapshot"};
  Plan plan = BuildContainPlan(PlanTarget(), sel);
  EXPECT_EQ(Names(plan), std::vector<std::string>({"record-pre-state", "snapshot"}));
  EXPECT_EQ(plan.steps[1].after, std::vector<std::string>({"record-pre-state"}));
}

TEST(PlanTest, SelectionIsValidated) {
  StepSelection bad;
  bad.skip = {"isolate"};
  auto s = ValidateSelection(bad);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("did you mean 'isolate-network'"), std::string::npos);
  StepSelection pre;
  pre.skip = {"record-pre-state"};
  EXPECT_FALSE(ValidateSelection(pre));
  EXPECT_TRUE(ValidateSelection(StepSelection{{"snapshot"}, {}}));
}

TEST(PlanTest, EvidenceAndDestructiveFlagsComeFromTheTable) {
  Plan plan = BuildContainPlan(PlanTarget(), {});
  EXPECT_TRUE(plan.steps[StepPos(plan, "snapshot")].evidence);
  EXPECT_FALSE(plan.steps[StepPos(plan, "snapshot")].destructive);
  EXPECT_TRUE(plan.steps[StepPos(plan, "isolate-network")].destructive);
  EXPECT_TRUE(plan.steps[StepPos(plan, "record-pre-state")].evidence);
}

}  // namespace
}  // namespace cordon::response
