// What `cordon iam-policy --accounts/--organization/--role-name/--all-regions` adds to the caller's
// policy, against the AWS Service Authorization Reference by a hand-written table: moto's IAM
// enforcement checks the resource of sts:AssumeRole only as a string match and no condition key but
// sts:ExternalId, so these facts of real IAM are checked here.
#include "response/iam_reach.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "response/iam_policy.h"

namespace cordon::response {
namespace {

// Per action the reach statements may hold, from docs.aws.amazon.com/service-authorization/latest/
// reference/: list_awssecuritytokenservice.html (AssumeRole: resource type role*, whose ARN is
// arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}; condition keys include
// sts:RoleSessionName; GetCallerIdentity: no resource type), list_awsorganizations.html (ListAccounts:
// no resource type) and list_amazonec2.html (DescribeRegions: no resource type). An empty pattern:
// the action has no resource type, so the statement must say "*".
struct ReferenceRow {
  std::string arn_pattern;
  std::set<std::string> condition_keys;
};
const std::map<std::string, ReferenceRow>& Reference() {
  static const std::map<std::string, ReferenceRow> kRows = {
      {"sts:AssumeRole",
       {R"(arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|\*):role/[\w+=,.@/-]+)",
        {"sts:RoleSessionName", "sts:ExternalId", "sts:SourceIdentity", "sts:TransitiveTagKeys",
         "aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:ResourceTag/${TagKey}"}}},
      {"sts:GetCallerIdentity", {"", {}}},
      {"organizations:ListAccounts", {"", {}}},
      {"ec2:DescribeRegions", {"", {}}}};
  return kRows;
}

PolicyReach Reach(std::vector<std::string> accounts, bool organization, bool all_regions) {
  PolicyReach r;
  r.accounts = std::move(accounts);
  r.organization = organization;
  r.all_regions = all_regions;
  r.role_name = r.accounts.empty() && !organization ? "" : "IR";
  return r;
}

// Each statement's actions, resources and condition keys, as the reference allows them.
void ExpectAllowedByTheReference(const Json& statements) {
  for (const Json& st : statements) {
    for (const Json& action : st["Action"]) {
      auto row = Reference().find(action.get<std::string>());
      ASSERT_NE(row, Reference().end()) << action;
      const Json resources = st["Resource"].is_array() ? st["Resource"] : Json::array({st["Resource"]});
      for (const Json& r : resources) {
        if (row->second.arn_pattern.empty()) {
          EXPECT_EQ(r, "*") << action;
        } else {
          EXPECT_NE(r, "*") << action << ": the reference allows scoping it";
          EXPECT_TRUE(std::regex_match(r.get<std::string>(), std::regex(row->second.arn_pattern))) << r;
        }
      }
      if (!st.contains("Condition")) continue;
      for (const Json& keys : st["Condition"])  // {"StringLike": {KEY: VALUE, ...}, ...}
        for (auto key = keys.begin(); key != keys.end(); ++key)
          EXPECT_TRUE(row->second.condition_keys.count(key.key())) << key.key();
    }
  }
}

const Json* StatementOf(const Json& policy, const std::string& sid) {
  for (const Json& st : policy["Statement"])
    if (st["Sid"] == sid) return &st;
  return nullptr;
}

TEST(IamReach, AccountsAssumeTheRoleInEachAccountNamedOnly) {
  auto policy = PolicyFor({"contain"}, Reach({"111111111111", "222222222222"}, false, false));
  ASSERT_TRUE(policy) << policy.error().ToString();
  const Json* assume = StatementOf(*policy, "CordonAssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ((*assume)["Action"], Json::array({"sts:AssumeRole"}));
  EXPECT_EQ((*assume)["Resource"],
            Json::array({"arn:aws:iam::111111111111:role/IR", "arn:aws:iam::222222222222:role/IR"}));
  EXPECT_EQ((*assume)["Condition"], (Json{{"StringLike", {{"sts:RoleSessionName", "cordon-*"}}}}));
  EXPECT_EQ(StatementOf(*policy, "CordonListAccounts"), nullptr);  // --accounts lists nothing
  ExpectAllowedByTheReference(ReachStatements({"contain"}, Reach({"111111111111"}, false, false)));
}

TEST(IamReach, OrganizationAssumesTheRoleByNameAndListsAccounts) {
  auto policy = PolicyFor({"contain"}, Reach({}, true, false));
  ASSERT_TRUE(policy);
  const Json* assume = StatementOf(*policy, "CordonAssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ((*assume)["Resource"], Json::array({"arn:aws:iam::*:role/IR"}));
  const Json* list = StatementOf(*policy, "CordonListAccounts");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ((*list)["Action"], (Json::array({"organizations:ListAccounts", "sts:GetCallerIdentity"})));
  ExpectAllowedByTheReference(ReachStatements({"contain", "preserve"}, Reach({}, true, true)));
  // The command's own statements are still there: the caller searches its own account too.
  EXPECT_NE(StatementOf(*policy, "CordonContain"), nullptr);
}

TEST(IamReach, ReleaseAssumesTheRecordedRolesButListsNothing) {
  auto policy = PolicyFor({"release"}, Reach({}, true, false));
  ASSERT_TRUE(policy);
  EXPECT_NE(StatementOf(*policy, "CordonAssumeRole"), nullptr);
  EXPECT_EQ(StatementOf(*policy, "CordonListAccounts"), nullptr);
}

TEST(IamReach, AllRegionsAloneAddsDescribeRegions) {
  auto plain = ActionsFor("contain");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(std::count(plain->begin(), plain->end(), "ec2:DescribeRegions"));
  auto policy = PolicyFor({"contain"}, Reach({}, false, true));
  ASSERT_TRUE(policy);
  const Json* regions = StatementOf(*policy, "CordonAllRegions");
  ASSERT_NE(regions, nullptr);
  EXPECT_EQ((*regions)["Action"], Json::array({"ec2:DescribeRegions"}));
  EXPECT_EQ(StatementOf(*policy, "CordonAssumeRole"), nullptr);
}

TEST(IamReach, PartitionNamesTheArns) {
  PolicyReach r = Reach({"111111111111"}, false, false);
  r.partition = "aws-cn";
  Json st = ReachStatements({"contain"}, r);
  EXPECT_EQ(st[0]["Resource"], Json::array({"arn:aws-cn:iam::111111111111:role/IR"}));
  ExpectAllowedByTheReference(st);
}

TEST(IamReach, WhatTheCommandsRefuseIsRefused) {
  auto refused = [](std::vector<std::string> commands, PolicyReach r, const std::string& says) {
    auto policy = PolicyFor(commands, r);
    ASSERT_FALSE(policy);
    EXPECT_EQ(policy.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(policy.error().message.find(says), std::string::npos) << policy.error().message;
  };
  PolicyReach no_role = Reach({"111111111111"}, false, false);
  no_role.role_name.clear();
  refused({"contain"}, no_role, "--accounts needs --role-name");
  PolicyReach both = Reach({"111111111111"}, true, false);
  refused({"contain"}, both, "mutually exclusive");
  refused({"contain"}, Reach({"1111"}, false, false), "12 digits");
  refused({"hunt"}, Reach({}, true, false), "does not go with hunt");
  refused({"release"}, Reach({}, false, true), "--all-regions does not go with release");
  PolicyReach role_alone;
  role_alone.role_name = "IR";
  refused({"contain"}, role_alone, "--role-name goes with");
  PolicyReach partition = Reach({}, true, false);
  partition.partition = "aws-iso";
  refused({"contain"}, partition, "--partition");
  auto organization = ActionsFor("organization");
  ASSERT_FALSE(organization);
  EXPECT_NE(organization.error().message.find("--organization --role-name"), std::string::npos);
}

}  // namespace
}  // namespace cordon::response
