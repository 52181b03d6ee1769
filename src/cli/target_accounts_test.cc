#include "cli/target_accounts.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

TEST(TargetLine, ATargetAloneMeansWhatItAlwaysDid) {
  auto line = ParseTargetLine("i-0123456789abcdef0");
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(line->first, "i-0123456789abcdef0");
  EXPECT_TRUE(line->second.region.empty());
  EXPECT_TRUE(line->second.account.empty());
}

TEST(TargetLine, RegionAndAccountInAnyOrderWithAComment) {
  auto line = ParseTargetLine("10.0.3.8\taccount=222222222222  region=eu-west-1 # the web node");
  ASSERT_TRUE(line) << line.error().message;
  EXPECT_EQ(line->first, "10.0.3.8");
  EXPECT_EQ(line->second.region, "eu-west-1");
  EXPECT_EQ(line->second.account, "222222222222");
  auto only_region = ParseTargetLine("eni-0123456789abcdef0 region=ap-south-1");
  ASSERT_TRUE(only_region);
  EXPECT_EQ(only_region->second.region, "ap-south-1");
  EXPECT_TRUE(only_region->second.account.empty());
}

TEST(TargetLine, MalformedWordsAreRefusedByName) {
  for (const char* bad :
       {"i-0abc regoin=eu-west-1", "i-0abc eu-west-1", "i-0abc region=", "i-0abc account=1234",
        "i-0abc account=22222222222x", "i-0abc region=eu-west-1 region=us-east-1"}) {
    auto line = ParseTargetLine(bad);
    ASSERT_FALSE(line) << bad;
    EXPECT_EQ(line.error().kind, ErrorKind::kInvalidArgument) << bad;
  }
  auto line = ParseTargetLine("i-0abc regoin=eu-west-1");
  EXPECT_NE(line.error().message.find("'regoin=eu-west-1'"), std::string::npos) << line.error().message;
}

TEST(RoleArn, FollowsTheRegionsPartition) {
  EXPECT_EQ(RoleArnFor("222222222222", "IR", "eu-west-1"), "arn:aws:iam::222222222222:role/IR");
  EXPECT_EQ(RoleArnFor("222222222222", "IR", "cn-north-1"), "arn:aws-cn:iam::222222222222:role/IR");
  EXPECT_EQ(RoleArnFor("222222222222", "IR", "us-gov-west-1"), "arn:aws-us-gov:iam::222222222222:role/IR");
}

TEST(SessionName, NamesCordonAndTheCaseAsStsAllows) {
  EXPECT_EQ(SessionNameFor("IR-2026-07"), "cordon-IR-2026-07");
  EXPECT_EQ(SessionNameFor("a b/c"), "cordon-a-b-c");
  EXPECT_EQ(SessionNameFor(std::string(100, 'x')).size(), 64u);
}

cloud::ResolvedTarget Found(const std::string& id, const std::string& region) {
  cloud::ResolvedTarget t;
  t.instance_id = id;
  t.region = region;
  t.vpc_id = "vpc-1";
  t.state = "running";
  t.matched_by = "private IP";
  return t;
}

TEST(CombineAccounts, OneMatchIsTheTargetWithItsAccount) {
  AccountPlace own, other{"222222222222", "arn:aws:iam::222222222222:role/IR", nullptr};
  std::vector<AccountAnswer> answers = {{&own, MakeError(ErrorKind::kNotFound, "no instance")},
                                        {&other, Found("i-2", "eu-west-1")}};
  auto one = CombineAccountAnswers("10.0.3.8", "", answers, true);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->first.instance_id, "i-2");
  EXPECT_EQ(one->second, &other);
}

TEST(CombineAccounts, TheSameIpInTwoAccountsIsAmbiguousNamingBoth) {
  AccountPlace own, other{"222222222222", "arn:aws:iam::222222222222:role/IR", nullptr};
  std::vector<AccountAnswer> answers = {{&own, Found("i-1", "us-east-1")},
                                        {&other, Found("i-2", "eu-west-1")}};
  auto one = CombineAccountAnswers("10.0.3.8", "", answers, false);
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().kind, ErrorKind::kAmbiguous);
  EXPECT_NE(one.error().message.find("i-1 in the profile's account, us-east-1"), std::string::npos);
  EXPECT_NE(one.error().message.find("i-2 in account 222222222222, eu-west-1"), std::string::npos);
}

TEST(CombineAccounts, TheSameInstanceThroughTwoPlacesCountsOnce) {
  AccountPlace own, same{"111111111111", "arn:aws:iam::111111111111:role/IR", nullptr};
  std::vector<AccountAnswer> answers = {{&own, Found("i-1", "us-east-1")},
                                        {&same, Found("i-1", "us-east-1")}};
  auto one = CombineAccountAnswers("i-1", "", answers, true);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->second, &own);
}

TEST(CombineAccounts, AnIpMatchWhileAnAccountFailedIsUnprovenAndRefusedForActing) {
  AccountPlace own, other{"222222222222", "arn:aws:iam::222222222222:role/IR", nullptr};
  std::vector<AccountAnswer> answers = {{&own, Found("i-1", "us-east-1")},
                                        {&other, MakeError(ErrorKind::kAccessDenied, "AccessDenied")}};
  auto acting = CombineAccountAnswers("10.0.3.8", "", answers, true);
  ASSERT_FALSE(acting);
  EXPECT_EQ(acting.error().kind, ErrorKind::kAmbiguous);
  EXPECT_NE(acting.error().message.find("account 222222222222"), std::string::npos);
  auto looking = CombineAccountAnswers("10.0.3.8", "", answers, false);
  ASSERT_TRUE(looking);
  EXPECT_TRUE(looking->first.uniqueness_unproven);
  auto in_vpc = CombineAccountAnswers("10.0.3.8", "vpc-1", answers, true);
  ASSERT_TRUE(in_vpc);  // a VPC lives in one account: definitive
}

TEST(CombineAccounts, NotFoundAnywhereNamesTheAccountsAndAFailureWins) {
  AccountPlace own, other{"222222222222", "arn:aws:iam::222222222222:role/IR", nullptr};
  std::vector<AccountAnswer> none = {{&own, MakeError(ErrorKind::kNotFound, "no instance i-9")},
                                     {&other, MakeError(ErrorKind::kNotFound, "no instance i-9")}};
  auto missing = CombineAccountAnswers("i-9", "", none, true);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().message.find("account 222222222222"), std::string::npos);
  std::vector<AccountAnswer> denied = {{&own, MakeError(ErrorKind::kNotFound, "no instance i-9")},
                                       {&other, MakeError(ErrorKind::kAccessDenied, "AccessDenied")}};
  auto refused = CombineAccountAnswers("i-9", "", denied, true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kAccessDenied);
}

}  // namespace
}  // namespace cordon::cli
