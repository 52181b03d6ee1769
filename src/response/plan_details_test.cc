#include "response/plan_details.h"

#include <gtest/gtest.h>

#include <map>

namespace cordon::response {
namespace {

cloud::InstanceInventory Lone() {
  cloud::InstanceInventory inv;
  inv.target = {"i-0lone", "eu-west-1", "vpc-1", "running", "instance id"};
  inv.instance.id = "i-0lone";
  inv.instance.vpc_id = "vpc-1";
  inv.attributes.disable_api_termination = false;
  inv.attributes.shutdown_behavior = "terminate";
  cloud::NetworkInterface eni;
  eni.id = "eni-1";
  eni.vpc_id = "vpc-1";
  eni.groups = {{"sg-web", "web"}, {"sg-ssh", "ssh"}};
  inv.network_interfaces.items = {eni};
  return inv;
}

ResponseOptions Options() {
  ResponseOptions o;
  o.case_id = "IR-9";
  o.responder = "alice";
  return o;
}

std::map<std::string, StepDetail> Describe(const cloud::InstanceInventory& inv, const ResponseOptions& o) {
  const Plan plan = BuildContainPlan(inv.target, {});
  std::map<std::string, StepDetail> out;
  for (StepDetail& d : DescribeContainPlan(plan, inv, o, {})) out[d.step] = std::move(d);
  return out;
}

TEST(PlanDetails, StepsWithNothingToDoAreNoOpsAndSaySo) {
  auto steps = Describe(Lone(), Options());
  EXPECT_TRUE(steps["asg"].no_op);
  EXPECT_EQ(steps["asg"].changes, std::vector<std::string>{"no-op: not in an Auto Scaling group"});
  EXPECT_TRUE(steps["deregister-lb"].no_op);
  EXPECT_TRUE(steps["disassociate-eip"].no_op);
  EXPECT_TRUE(steps["credentials"].no_op);
  EXPECT_TRUE(steps["snapshot"].no_op);
  EXPECT_FALSE(steps["isolate-network"].no_op);
  EXPECT_EQ(steps["isolate-network"].changes,
            std::vector<std::string>{
                "eni-1: connection-tracking timeouts to the minimum (TCP established 60 s, UDP stream 60 s, "
                "UDP 30 s, restored on release), then sg-web (web), sg-ssh (ssh) -> cordon-untrack-vpc-1 -> "
                "cordon-isolation-vpc-1"});
  EXPECT_EQ(steps["protect"].changes[0], "termination protection: on (now off)");
  EXPECT_EQ(steps["protect"].changes[1], "shutdown behaviour: stop (now terminate)");
}

TEST(PlanDetails, UnreadableStateIsUnknownNeverANoOp) {
  cloud::InstanceInventory inv = Lone();
  inv.auto_scaling.error = "AccessDenied: autoscaling:DescribeAutoScalingInstances";
  inv.volumes.error = "throttled";
  auto steps = Describe(inv, Options());
  EXPECT_FALSE(steps["asg"].no_op);
  EXPECT_NE(steps["asg"].changes[0].find("unknown: "), std::string::npos);
  EXPECT_NE(steps["asg"].changes[0].find("AccessDenied"), std::string::npos);
  EXPECT_FALSE(steps["snapshot"].no_op);
  EXPECT_NE(steps["snapshot"].changes[0].find("unknown: "), std::string::npos);
}

TEST(PlanDetails, AllowFromAndRoleSharersAreNamed) {
  cloud::InstanceInventory inv = Lone();
  inv.instance_profile.profile_arn = "arn:aws:iam::1:instance-profile/web";
  inv.instance_profile.profile_name = "web";
  inv.instance_profile.role_name = "web-role";
  ResponseOptions o = Options();
  o.allow_from = {"10.9.0.0/24"};
  o.revoke_role_sessions = true;
  const Plan plan = BuildContainPlan(inv.target, {});
  RoleSharers sharers;
  sharers.instance_ids = {"i-0sib1", "i-0sib2"};
  std::map<std::string, StepDetail> steps;
  for (StepDetail& d : DescribeContainPlan(plan, inv, o, sharers)) steps[d.step] = std::move(d);
  EXPECT_NE(steps["isolate-network"].changes[0].find("cordon-allow-IR-9-vpc-1 (ingress from 10.9.0.0/24)"),
            std::string::npos);
  const auto& cred = steps["credentials"].changes;
  ASSERT_EQ(cred.size(), 3u);
  EXPECT_EQ(cred[0], "disassociate instance profile web");
  EXPECT_NE(cred[1].find("inline policy cordon-deny-IR-9 on role web-role: add */i-0lone"),
            std::string::npos);
  EXPECT_NE(cred[2].find("ALSO CUTS 2 sibling(s): i-0sib1, i-0sib2"), std::string::npos);

  const std::string text = FormatConcretePlan(plan, DescribeContainPlan(plan, inv, o, sharers), "IR-9");
  EXPECT_NE(text.find("       - disassociate instance profile web\n"), std::string::npos);
  EXPECT_EQ(text.find("<CASE>"), std::string::npos);
  EXPECT_NE(text.find("quarantine:IR-9"), std::string::npos);
  const Json json = ConcretePlanToJson(plan, DescribeContainPlan(plan, inv, o, sharers), "IR-9");
  EXPECT_EQ(json["case"], "IR-9");
  EXPECT_EQ(json["steps"].size(), plan.steps.size());
  EXPECT_EQ(json["steps"][0]["step"], "record-pre-state");
}

}  // namespace
}  // namespace cordon::response
