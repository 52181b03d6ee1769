#include "response/subnet_selection.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cordon::response {
namespace {

cloud::ResolvedTarget NaclTarget() {
  return cloud::ResolvedTarget{"i-0abc", "us-east-1", "vpc-1", "running", "instance id"};
}

size_t NaclStepPos(const Plan& plan, const std::string& name) {
  return std::find_if(plan.steps.begin(), plan.steps.end(),
                      [&](const PlanStep& s) { return s.name == name; }) -
         plan.steps.begin();
}

bool RunsAfter(const Plan& plan, const std::string& step, const std::string& dep) {
  const auto& after = plan.steps[NaclStepPos(plan, step)].after;
  return std::find(after.begin(), after.end(), dep) != after.end();
}

// DESIGN.md §3 rule 3: a network ACL is opt-in only (it affects the whole subnet). No selection
// without --nacl brings it in, not even --skip of everything else.
TEST(SubnetSelectionTest, NoNetworkAclWithoutNacl) {
  EXPECT_EQ(NaclStepPos(BuildContainPlan(NaclTarget(), {}), "isolate-subnet"),
            BuildContainPlan(NaclTarget(), {}).steps.size());
  StepSelection sel;
  sel.skip = {"snapshot"};
  ASSERT_TRUE(SelectSubnetIsolation(false, &sel));
  Plan plan = BuildContainPlan(NaclTarget(), sel);
  EXPECT_EQ(NaclStepPos(plan, "isolate-subnet"), plan.steps.size());
  StepSelection only;
  only.only = {"isolate-subnet"};
  EXPECT_FALSE(SelectSubnetIsolation(false, &only));
}

// With --nacl every other step stays (the plan is the default one plus isolate-subnet). It comes
// after the network isolation and the memory capture (whose SSM path it would cut), before the
// credentials.
TEST(SubnetSelectionTest, NaclAddsTheStepAfterIsolationAndCapture) {
  StepSelection sel;
  ASSERT_TRUE(SelectSubnetIsolation(true, &sel));
  Plan plan = BuildContainPlan(NaclTarget(), sel);
  EXPECT_EQ(plan.steps.size(), BuildContainPlan(NaclTarget(), {}).steps.size() + 1);
  ASSERT_LT(NaclStepPos(plan, "isolate-subnet"), plan.steps.size());
  EXPECT_LT(NaclStepPos(plan, "isolate-network"), NaclStepPos(plan, "isolate-subnet"));
  EXPECT_LT(NaclStepPos(plan, "capture-memory"), NaclStepPos(plan, "isolate-subnet"));
  EXPECT_TRUE(RunsAfter(plan, "credentials", "isolate-subnet"));
  EXPECT_TRUE(plan.steps[NaclStepPos(plan, "isolate-subnet")].destructive);
}

TEST(SubnetSelectionTest, NaclJoinsOnlyAndContradictsSkip) {
  StepSelection sel;
  sel.only = {"isolate-network"};
  ASSERT_TRUE(SelectSubnetIsolation(true, &sel));
  Plan plan = BuildContainPlan(NaclTarget(), sel);
  ASSERT_EQ(plan.steps.size(), 3u);  // record-pre-state is always kept
  EXPECT_EQ(plan.steps[2].name, "isolate-subnet");
  EXPECT_TRUE(RunsAfter(plan, "isolate-subnet", "isolate-network"));
  StepSelection skip;
  skip.skip = {"isolate-subnet"};
  EXPECT_FALSE(SelectSubnetIsolation(true, &skip));
}

}  // namespace
}  // namespace cordon::response
