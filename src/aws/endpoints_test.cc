// Endpoint resolution against botocore's partitions.json: listed regions, regions only the partition's
// regex knows, global services, and overrides.
#include "aws/endpoints.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

const ServiceModel& Model(const char* service) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model) << service;
  return **model;
}

TEST(Endpoints, ListedRegionsUseTheirPartitionsDnsSuffix) {
  auto ec2 = ResolveEndpoint(Model("ec2"), "eu-west-2", "");
  ASSERT_TRUE(ec2);
  EXPECT_EQ(ec2->url, "https://ec2.eu-west-2.amazonaws.com");
  EXPECT_EQ(ec2->signing_region, "eu-west-2");
  EXPECT_FALSE(ec2->overridden);

  auto cn = ResolveEndpoint(Model("ec2"), "cn-north-1", "");
  ASSERT_TRUE(cn);
  EXPECT_EQ(cn->url, "https://ec2.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, RegionsOnlyTheRegexKnowsResolveToTheirPartition) {
  // Not in partitions.json's region list (yet), but matches the aws and aws-us-gov regexes.
  EXPECT_EQ(PartitionOf("us-east-9").value_or(""), "aws");
  EXPECT_EQ(PartitionOf("us-gov-east-7").value_or(""), "aws-us-gov");
  auto ep = ResolveEndpoint(Model("ec2"), "ap-south-7", "");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->url, "https://ec2.ap-south-7.amazonaws.com");
  // The compiled regexes are reused: a second lookup gives the same answer.
  EXPECT_EQ(PartitionOf("us-east-9").value_or(""), "aws");
}

TEST(Endpoints, NonRegionsAreRejectedWithTheNameInTheMessage) {
  auto p = PartitionOf("useast1");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(p.error().message.find("'useast1'"), std::string::npos);
  EXPECT_FALSE(ResolveEndpoint(Model("ec2"), "useast1", ""));
  auto none = ResolveEndpoint(Model("ec2"), "", "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("--region"), std::string::npos);
}

TEST(Endpoints, IamIsGlobalPerPartition) {
  auto aws = ResolveEndpoint(Model("iam"), "eu-central-1", "");
  ASSERT_TRUE(aws);
  EXPECT_EQ(aws->url, "https://iam.amazonaws.com");
  EXPECT_EQ(aws->signing_region, "us-east-1");
  auto gov = ResolveEndpoint(Model("iam"), "us-gov-east-1", "");
  ASSERT_TRUE(gov);
  EXPECT_EQ(gov->url, "https://iam.us-gov.amazonaws.com");
  EXPECT_EQ(gov->signing_region, "us-gov-west-1");
}

// --organization lists the organization from any region: Organizations has one endpoint per partition.
TEST(Endpoints, OrganizationsIsGlobalPerPartition) {
  auto aws = ResolveEndpoint(Model("organizations"), "eu-west-1", "");
  ASSERT_TRUE(aws);
  EXPECT_EQ(aws->url, "https://organizations.us-east-1.amazonaws.com");
  EXPECT_EQ(aws->signing_region, "us-east-1");
  auto cn = ResolveEndpoint(Model("organizations"), "cn-north-1", "");
  ASSERT_TRUE(cn);
  EXPECT_EQ(cn->url, "https://organizations.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(cn->signing_region, "cn-northwest-1");
}

TEST(Endpoints, OverridesAreUsedAsGivenWithoutTrailingSlash) {
  auto ep = ResolveEndpoint(Model("s3"), "eu-west-1", "http://127.0.0.1:5000//");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->url, "http://127.0.0.1:5000");
  EXPECT_TRUE(ep->overridden);
  EXPECT_EQ(ep->signing_region, "eu-west-1");
  auto no_region = ResolveEndpoint(Model("s3"), "", "http://127.0.0.1:5000");
  ASSERT_TRUE(no_region);
  EXPECT_EQ(no_region->signing_region, "us-east-1");
  auto no_scheme = ResolveEndpoint(Model("s3"), "eu-west-1", "127.0.0.1:5000");
  ASSERT_FALSE(no_scheme);
  EXPECT_NE(no_scheme.error().message.find("https://127.0.0.1:5000"), std::string::npos);
}

}  // namespace
}  // namespace cordon::aws
