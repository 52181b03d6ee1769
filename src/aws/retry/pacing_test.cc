#include "aws/retry/pacing.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

TEST(PacingTest, Ec2ByItsDocumentedBucketsPerAction) {
  Pace p = PaceFor("ec2", "CreateTags", Json::object(), kDefaultRateLimit, std::nullopt);
  EXPECT_EQ(p.bucket, "ec2/CreateTags");
  EXPECT_EQ(p.limit.per_second, 10);
  EXPECT_EQ(p.limit.burst, 100);
  p = PaceFor("ec2", "DescribeInstances", Json{{"InstanceIds", {"i-1"}}}, kDefaultRateLimit, std::nullopt);
  EXPECT_EQ(p.bucket, "ec2/DescribeInstances/unfiltered");
  EXPECT_EQ(p.limit.per_second, 10);
  p = PaceFor("ec2", "ModifyInstanceAttribute", Json::object(), kDefaultRateLimit, std::nullopt);
  EXPECT_EQ(p.bucket, "ec2/ModifyInstanceAttribute");
  EXPECT_EQ(p.limit.per_second, 5);
  EXPECT_EQ(p.limit.burst, 50);
}

TEST(PacingTest, ElbPerApiVersionAndCategory) {
  Pace p = PaceFor("elbv2", "DescribeTargetHealth", Json::object(), kDefaultRateLimit, std::nullopt);
  EXPECT_EQ(p.bucket, "elbv2/describe");
  EXPECT_EQ(p.limit.per_second, 10);
  EXPECT_EQ(p.limit.burst, 40);
  EXPECT_EQ(PaceFor("elb", "DescribeLoadBalancers", Json::object(), kDefaultRateLimit, std::nullopt).bucket,
            "elb/describe");
  p = PaceFor("elbv2", "ModifyTargetGroupAttributes", Json::object(), kDefaultRateLimit, std::nullopt);
  EXPECT_EQ(p.bucket, "elbv2/mutating");
  EXPECT_EQ(p.limit.per_second, 5);
  EXPECT_EQ(p.limit.burst, 10);
}

// Registration has a bucket of its own in each API version: deregistering a fleet takes no tokens
// from the other mutating actions.
TEST(PacingTest, ElbRegistrationIsItsOwnCategory) {
  for (const char* op : {"RegisterTargets", "DeregisterTargets"}) {
    Pace p = PaceFor("elbv2", op, Json::object(), kDefaultRateLimit, std::nullopt);
    EXPECT_EQ(p.bucket, "elbv2/registration") << op;
    EXPECT_EQ(p.limit.per_second, 4);
    EXPECT_EQ(p.limit.burst, 20);
  }
  for (const char* op : {"RegisterInstancesWithLoadBalancer", "DeregisterInstancesFromLoadBalancer"})
    EXPECT_EQ(PaceFor("elb", op, Json::object(), kDefaultRateLimit, std::nullopt).bucket, "elb/registration")
        << op;
  EXPECT_EQ(PaceFor("elb", "ConfigureHealthCheck", Json::object(), kDefaultRateLimit, std::nullopt).bucket,
            "elb/mutating");
}

TEST(PacingTest, OtherServicesUseTheFallbackPerService) {
  for (const char* service : {"iam", "autoscaling", "sts", "ssm", "s3"}) {
    Pace p = PaceFor(service, "Anything", Json::object(), RateLimit{7, 9}, std::nullopt);
    EXPECT_EQ(p.bucket, service);
    EXPECT_EQ(p.limit.per_second, 7);
    EXPECT_EQ(p.limit.burst, 9);
  }
}

TEST(PacingTest, MaxRateIsOneEvenlySpacedBucketPerService) {
  for (const char* op : {"CreateTags", "DescribeInstances", "ModifyInstanceAttribute"}) {
    Pace p = PaceFor("ec2", op, Json::object(), kDefaultRateLimit, 3.0);
    EXPECT_EQ(p.bucket, "ec2") << op;
    EXPECT_EQ(p.limit.per_second, 3);
    EXPECT_EQ(p.limit.burst, 1);
  }
  EXPECT_EQ(PaceFor("iam", "PutRolePolicy", Json::object(), kDefaultRateLimit, 0.5).limit.per_second, 0.5);
}

TEST(PacingTest, UnlimitedFallbackTurnsPacingOffEverywhere) {
  Pace p = PaceFor("ec2", "CreateTags", Json::object(), RateLimit::Unlimited(), std::nullopt);
  EXPECT_LE(p.limit.per_second, 0);
}

}  // namespace
}  // namespace cordon::aws
