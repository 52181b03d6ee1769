#include "cli/next_steps.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

cloud::InstanceInventory Running(cloud::Tags tags = {}) {
  cloud::InstanceInventory inv;
  inv.target.instance_id = "i-0abc";
  inv.target.region = "eu-west-1";
  inv.target.state = "running";
  inv.instance.id = "i-0abc";
  inv.instance.tags = std::move(tags);
  return inv;
}

// Golden texts: what a responder copies. Every command here exists with these flags
// (contain --case --region --plan/--yes, case report, case show, release --case --region).
TEST(NextSteps, AfterTriageOfAFreeInstanceTheContainCommandPlanFirst) {
  EXPECT_EQ(NextAfterTriage(Running(), "20261203"),
            (std::vector<std::string>{
                "see what containment would change: cordon contain i-0abc --case IR-20261203-0abc --region "
                "eu-west-1 --plan",
                "contain it: cordon contain i-0abc --case IR-20261203-0abc --region eu-west-1 --yes"}));
}

TEST(NextSteps, AfterTriageOfAHeldInstanceItsCase) {
  EXPECT_EQ(
      NextAfterTriage(Running({{"cordon:case", "IR-7"}}), "20261203"),
      (std::vector<std::string>{"it is held by case IR-7: cordon case show IR-7",
                                "to undo a false positive: cordon release --case IR-7 --region eu-west-1"}));
}

TEST(NextSteps, AfterTriageOfATerminatedInstanceNothing) {
  cloud::InstanceInventory inv = Running();
  inv.target.state = "terminated";
  EXPECT_TRUE(NextAfterTriage(inv, "20261203").empty());
}

TEST(NextSteps, AfterContain) {
  EXPECT_EQ(NextAfterContain("IR-1", false),
            (std::vector<std::string>{
                "the report for the ticket: cordon case report IR-1",
                "a false positive: cordon release --case IR-1 (asks before it restores anything)"}));
  EXPECT_EQ(NextAfterContain("IR-1", true).size(), 1u);
}

hunt::CloudTrailEvent Use(const std::string& ip) {
  hunt::CloudTrailEvent e;
  e.by = true;
  e.identity_type = "AssumedRole";
  e.identity_arn = "arn:aws:sts::1:assumed-role/r/i-0abc";
  e.session_name = "i-0abc";
  e.source_ip = ip;
  e.ec2_role_delivery = "2.0";
  return e;
}

TEST(NextSteps, AfterAHuntWithoutIpThatSawTheSessionFromTwoAddresses) {
  hunt::HuntResults r;
  r.events = {Use("10.0.0.5"), Use("203.0.113.9")};
  hunt::Selectors s;
  s.instances = {"i-0abc"};
  const auto lines = NextAfterHunt(r, s);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("used from 2 addresses (10.0.0.5, 203.0.113.9)"), std::string::npos);
  EXPECT_NE(lines[0].find("rerun with --ip"), std::string::npos);
  s.ips = {"10.0.0.5"};  // with --ip the hunt judged it itself
  EXPECT_TRUE(NextAfterHunt(r, s).empty());
  s.ips.clear();
  r.events.pop_back();  // one address: nothing to suggest
  EXPECT_TRUE(NextAfterHunt(r, s).empty());
}

}  // namespace
}  // namespace cordon::cli
