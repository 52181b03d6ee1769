#include "response/subnet_nacl.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

Json Tags(std::initializer_list<std::pair<const char*, const char*>> kv) {
  Json out = Json::array();
  for (const auto& [k, v] : kv) out.push_back(Json{{"Key", k}, {"Value", v}});
  return out;
}

Json Entry(int number, bool egress, const char* action) {
  return Json{{"RuleNumber", number}, {"Egress", egress}, {"RuleAction", action}, {"CidrBlock", "0.0.0.0/0"}};
}

TEST(SubnetNaclTest, IsolationAclCaseNeedsThePurposeTag) {
  EXPECT_EQ(IsolationAclCase(Tags({{"cordon:purpose", "nacl-isolation"}, {"cordon:case", "IR-1"}})), "IR-1");
  // a case tag on some other ACL (or another cordon purpose) is not an isolation ACL
  EXPECT_EQ(IsolationAclCase(Tags({{"cordon:case", "IR-1"}})), "");
  EXPECT_EQ(IsolationAclCase(Tags({{"cordon:purpose", "isolation"}, {"cordon:case", "IR-1"}})), "");
  EXPECT_EQ(IsolationAclCase(Json()), "");
}

TEST(SubnetNaclTest, RestoreAclIsKeptPerSubnet) {
  Json tags = Tags({{"cordon:restore:subnet-1", "acl-a"}, {"cordon:restore:subnet-2", "acl-b"}});
  EXPECT_EQ(RestoreAclOf(tags, "subnet-1"), "acl-a");
  EXPECT_EQ(RestoreAclOf(tags, "subnet-2"), "acl-b");
  EXPECT_EQ(RestoreAclOf(tags, "subnet-3"), "");
}

// A custom network ACL shows only its "*" rules (32767, deny) on AWS, none on moto: both deny all.
// One allow rule, whatever its number, comes before the "*" rule in the evaluation order.
TEST(SubnetNaclTest, OnlyDenyRulesAllowNothing) {
  EXPECT_FALSE(AclAllowsAnything(Json::array()));
  EXPECT_FALSE(AclAllowsAnything(Json::array({Entry(32767, false, "deny"), Entry(32767, true, "deny")})));
  EXPECT_TRUE(AclAllowsAnything(Json::array({Entry(32767, false, "deny"), Entry(200, true, "allow")})));
  EXPECT_FALSE(AclAllowsAnything(Json()));
}

TEST(SubnetNaclTest, CaseAclNameNamesCaseAndVpc) {
  EXPECT_EQ(CaseAclName("IR-42", "vpc-0abc"), "cordon-nacl-IR-42-vpc-0abc");
}

}  // namespace
}  // namespace cordon::response
