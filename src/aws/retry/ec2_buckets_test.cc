#include "aws/retry/ec2_buckets.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

// The numbers are those of "Request throttling for the Amazon EC2 API" (ec2_buckets.h).
void ExpectBucket(std::string_view action, const Json& input, std::string_view name,
                  Ec2ActionCategory category, double refill, double capacity) {
  Ec2Bucket b = Ec2RequestBucket(action, input);
  EXPECT_EQ(b.name, name) << action;
  EXPECT_EQ(b.category, category) << action;
  EXPECT_EQ(b.limit.per_second, refill) << action;
  EXPECT_EQ(b.limit.burst, capacity) << action;
}

TEST(Ec2BucketsTest, NonMutatingByName) {
  const Json none = Json::object();
  for (const char* action :
       {"DescribeAddresses", "DescribeIamInstanceProfileAssociations", "GetConsoleOutput",
        "ListImagesInRecycleBin", "SearchTransitGatewayRoutes", "DescribeVpcs"}) {
    ExpectBucket(action, none, action, Ec2ActionCategory::kNonMutating, 20, 100);
  }
}

TEST(Ec2BucketsTest, UnfilteredAndUnpaginatedUseTheSmallBucketOfTheirOwn) {
  ExpectBucket("DescribeInstances", Json::object(), "DescribeInstances/unfiltered",
               Ec2ActionCategory::kUnfilteredNonMutating, 10, 50);
  // A list of ids is neither a filter nor pagination.
  ExpectBucket("DescribeInstances", Json{{"InstanceIds", {"i-1"}}}, "DescribeInstances/unfiltered",
               Ec2ActionCategory::kUnfilteredNonMutating, 10, 50);
  // An empty filter list filters nothing.
  ExpectBucket("DescribeVolumes", Json{{"Filters", Json::array()}}, "DescribeVolumes/unfiltered",
               Ec2ActionCategory::kUnfilteredNonMutating, 10, 50);
  const Json filtered = {{"Filters", {{{"Name", "attachment.instance-id"}, {"Values", {"i-1"}}}}}};
  for (const char* action :
       {"DescribeInstances", "DescribeInstanceStatus", "DescribeNetworkInterfaces", "DescribeSecurityGroups",
        "DescribeSnapshots", "DescribeSpotInstanceRequests", "DescribeVolumes"}) {
    ExpectBucket(action, filtered, action, Ec2ActionCategory::kNonMutating, 20, 100);
    ExpectBucket(action, Json{{"MaxResults", 5}}, action, Ec2ActionCategory::kNonMutating, 20, 100);
    ExpectBucket(action, Json{{"NextToken", "t"}}, action, Ec2ActionCategory::kNonMutating, 20, 100);
    ExpectBucket(action, Json::object(), std::string(action) + "/unfiltered",
                 Ec2ActionCategory::kUnfilteredNonMutating, 10, 50);
  }
}

TEST(Ec2BucketsTest, MutatingAndResourceIntensive) {
  const Json none = Json::object();
  for (const char* action :
       {"ModifyInstanceAttribute", "DisassociateAddress", "StopInstances", "CreateSecurityGroup",
        "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress"}) {
    ExpectBucket(action, none, action, Ec2ActionCategory::kMutating, 5, 50);
  }
  for (const char* action :
       {"AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateKeyPair"}) {
    ExpectBucket(action, none, action, Ec2ActionCategory::kResourceIntensive, 5, 50);
  }
}

TEST(Ec2BucketsTest, UncategorizedActionsCordonCallsKeepTheirOwnNumbers) {
  const Json none = Json::object();
  ExpectBucket("CreateTags", none, "CreateTags", Ec2ActionCategory::kUncategorized, 10, 100);
  ExpectBucket("DeleteTags", none, "DeleteTags", Ec2ActionCategory::kUncategorized, 10, 100);
  ExpectBucket("CreateSnapshots", none, "CreateSnapshots", Ec2ActionCategory::kUncategorized, 5, 100);
  ExpectBucket("ModifyNetworkInterfaceAttribute", none, "ModifyNetworkInterfaceAttribute",
               Ec2ActionCategory::kUncategorized, 5, 100);
  ExpectBucket("AssociateIamInstanceProfile", none, "AssociateIamInstanceProfile",
               Ec2ActionCategory::kUncategorized, 5, 100);
  ExpectBucket("DisassociateIamInstanceProfile", none, "DisassociateIamInstanceProfile",
               Ec2ActionCategory::kUncategorized, 5, 100);
  ExpectBucket("RunInstances", none, "RunInstances", Ec2ActionCategory::kUncategorized, 2, 5);
  ExpectBucket("DescribeStaleSecurityGroups", none, "DescribeStaleSecurityGroups",
               Ec2ActionCategory::kUncategorized, 5, 20);
  ExpectBucket("CreateVpcEndpoint", none, "CreateVpcEndpoint", Ec2ActionCategory::kUncategorized, 0.3, 4);
}

}  // namespace
}  // namespace cordon::aws
