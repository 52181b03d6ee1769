#include "response/memory/capture_order.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cordon::response {
namespace {

cloud::ResolvedTarget Target() {
  return cloud::ResolvedTarget{"i-0abc", "us-east-1", "vpc-1", "running", "id"};
}

size_t Pos(const Plan& plan, const std::string& name) {
  for (size_t i = 0; i < plan.steps.size(); ++i)
    if (plan.steps[i].name == name) return i;
  return plan.steps.size();
}

bool After(const Plan& plan, const std::string& step, const std::string& dep) {
  const auto& a = plan.steps[Pos(plan, step)].after;
  return std::find(a.begin(), a.end(), dep) != a.end();
}

TEST(CaptureOrderTest, LeftOutUnlessAsked) {
  StepSelection sel;
  ASSERT_TRUE(SelectMemoryCapture(MemoryCaptureOptions{}, &sel));
  Plan plan = BuildContainPlan(Target(), sel);
  EXPECT_EQ(Pos(plan, "capture-memory"), plan.steps.size());
  StepSelection only;
  only.only = {"capture-memory"};
  EXPECT_FALSE(SelectMemoryCapture(MemoryCaptureOptions{}, &only));
}

// Rule 7 by default: after isolation, and before credentials (the host uploads with its role).
TEST(CaptureOrderTest, AfterIsolationByDefault) {
  MemoryCaptureOptions m;
  m.enabled = true;
  StepSelection sel;
  ASSERT_TRUE(SelectMemoryCapture(m, &sel));
  Plan plan = BuildContainPlan(Target(), sel);
  ArrangeMemoryCapture(m, &plan);
  EXPECT_LT(Pos(plan, "isolate-network"), Pos(plan, "capture-memory"));
  EXPECT_TRUE(After(plan, "capture-memory", "isolate-network"));
  EXPECT_TRUE(After(plan, "credentials", "capture-memory"));
  EXPECT_TRUE(plan.steps[Pos(plan, "capture-memory")].evidence);
}

TEST(CaptureOrderTest, BeforeIsolationWhenAsked) {
  MemoryCaptureOptions m;
  m.enabled = true;
  m.before_isolation = true;
  StepSelection sel;
  ASSERT_TRUE(SelectMemoryCapture(m, &sel));
  Plan plan = BuildContainPlan(Target(), sel);
  ArrangeMemoryCapture(m, &plan);
  EXPECT_EQ(Pos(plan, "capture-memory") + 1, Pos(plan, "isolate-network"));
  EXPECT_TRUE(After(plan, "isolate-network", "capture-memory"));
  EXPECT_TRUE(After(plan, "capture-memory", "asg"));
  EXPECT_FALSE(After(plan, "credentials", "capture-memory"));
  for (size_t i = 0; i < plan.steps.size(); ++i)
    for (const std::string& dep : plan.steps[i].after) EXPECT_LT(Pos(plan, dep), i) << plan.steps[i].name;
}

}  // namespace
}  // namespace cordon::response
