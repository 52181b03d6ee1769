#include "posture/admin_policy.h"

#include <gtest/gtest.h>

namespace cordon::posture {
namespace {

std::string Reason(const char* doc) { return AdminLikeReason(Json::parse(doc)); }

TEST(IsAdministratorAccessArn, EveryPartitionOnlyTheAwsManagedOne) {
  EXPECT_TRUE(IsAdministratorAccessArn("arn:aws:iam::aws:policy/AdministratorAccess"));
  EXPECT_TRUE(IsAdministratorAccessArn("arn:aws-cn:iam::aws:policy/AdministratorAccess"));
  EXPECT_TRUE(IsAdministratorAccessArn("arn:aws-us-gov:iam::aws:policy/AdministratorAccess"));
  EXPECT_FALSE(IsAdministratorAccessArn("arn:aws:iam::123456789012:policy/AdministratorAccess"));
  EXPECT_FALSE(IsAdministratorAccessArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
  EXPECT_FALSE(IsAdministratorAccessArn("arn:aws:iam::aws:policy/job-function/AdministratorAccessX"));
}

TEST(AdminLikeReason, StarOnStarInEveryForm) {
  EXPECT_NE(Reason(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})"), "");
  EXPECT_NE(
      Reason(R"({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}]})"),
      "");
  EXPECT_NE(Reason(R"({"Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*"}]})"), "");
  EXPECT_NE(Reason(R"({"Statement": [{"Effect": "Allow", "Action": "IAM:*", "Resource": "*"}]})"), "");
}

TEST(AdminLikeReason, NarrowerGrantsAreNot) {
  EXPECT_EQ(Reason(R"({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}]})"),
            "");
  EXPECT_EQ(Reason(R"({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})"), "");
  EXPECT_EQ(Reason(R"({"Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]})"),
            "");
  EXPECT_EQ(Reason(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})"), "");
  EXPECT_EQ(Reason(R"({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]})"), "");
}

TEST(AdminLikeReason, ConditionStillCountsAndIsSaid) {
  std::string r = Reason(R"({"Statement": [{"Sid": "Ops", "Effect": "Allow", "Action": "*", "Resource": "*",
                              "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})");
  EXPECT_NE(r.find("under a condition"), std::string::npos) << r;
  EXPECT_NE(r.find("Ops"), std::string::npos) << r;
}

TEST(AdminLikeReason, DocumentAsTextAndBadInput) {
  EXPECT_NE(AdminLikeReason(Json(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})")), "");
  EXPECT_EQ(AdminLikeReason(Json("{not json")), "");
  EXPECT_EQ(AdminLikeReason(Json::array()), "");
  EXPECT_EQ(Reason(R"({"Statement": "x"})"), "");
  EXPECT_EQ(Reason(R"({"Statement": [1, null, {"Effect": "Allow"}]})"), "");
}

}  // namespace
}  // namespace cordon::posture
