// Target classification, and resolution across regions against a FakeTransport that answers per
// region: a region that fails while another answers is carried in the result, and only matters for a
// match by IP.
#include "cloud/target.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "aws/http/fake_transport.h"

namespace cordon::cloud {
namespace {

TEST(ClassifyTarget, InstanceIds) {
  EXPECT_EQ(*ClassifyTarget("i-0123456789abcdef0"), TargetKind::kInstanceId);
  EXPECT_EQ(*ClassifyTarget("i-1234abcd"), TargetKind::kInstanceId);
}

TEST(ClassifyTarget, EniIds) { EXPECT_EQ(*ClassifyTarget("eni-0123456789abcdef0"), TargetKind::kEniId); }

TEST(ClassifyTarget, Addresses) {
  EXPECT_EQ(*ClassifyTarget("10.0.3.8"), TargetKind::kIpAddress);
  EXPECT_EQ(*ClassifyTarget("54.1.2.3"), TargetKind::kIpAddress);
  EXPECT_EQ(*ClassifyTarget("2600:1f18::1"), TargetKind::kIpAddress);
}

TEST(ClassifyTarget, RejectsEverythingElse) {
  for (const char* bad : {"", "i-", "i-xyz", "i-0123456789abcdef", "eni-12", "10.0.0", "10.0.0.256", "web-1",
                          "sg-0123456789abcdef0"}) {
    auto k = ClassifyTarget(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_EQ(k.error().kind, ErrorKind::kInvalidArgument);
  }
}

TEST(ResolvedTarget, TerminatedIsFlagged) {
  ResolvedTarget t;
  t.state = "terminated";
  EXPECT_TRUE(t.terminated());
  t.state = "stopped";
  EXPECT_FALSE(t.terminated());
}

class StaticCredentials : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override {
    return aws::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt, "test"};
  }
  std::string Name() const override { return "static"; }
};

constexpr char kIid[] = "i-0123456789abcdef0";
constexpr char kIp[] = "10.0.2.20";

// EC2 in three kinds of region: one holding kIid (on kIp), regions that hold nothing, and regions that
// refuse every call as an opt-in region that is not enabled does.
class ResolveAcrossRegions : public ::testing::Test {
 protected:
  ResolveAcrossRegions() {
    transport_ =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return Answer(r); });
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<StaticCredentials>();
    options.transport = transport_;
    options.retry.max_attempts = 1;
    options.rate_limit = aws::RateLimit::Unlimited();
    client_ = std::make_unique<aws::Client>(options);
  }

  // The region from the host (ec2.REGION.amazonaws.com), the action from the form body.
  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    std::string host = r.url.substr(r.url.find("://") + 3);
    std::string region = host.substr(4, host.find(".amazonaws.com") - 4);
    size_t a = r.body.find("Action=");
    std::string action = r.body.substr(a + 7, r.body.find('&', a) - a - 7);
    aws::HttpResponse out;
    out.status = 200;
    const std::string ns = R"( xmlns="http://ec2.amazonaws.com/doc/2016-11-15/")";
    if (refusing_.count(region)) {
      out.status = 403;
      out.body =
          "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to "
          "perform this operation.</Message></Error></Errors><RequestID>req-x</RequestID></Response>";
    } else if (action == "DescribeInstances") {
      std::string items;
      if (region == home_)
        items = std::string("<item><reservationId>r-1</reservationId><instancesSet><item><instanceId>") +
                kIid +
                "</instanceId><vpcId>vpc-1</vpcId><instanceState><code>16</code><name>running</name>"
                "</instanceState></item></instancesSet></item>";
      out.body = "<DescribeInstancesResponse" + ns + "><requestId>r</requestId><reservationSet>" + items +
                 "</reservationSet></DescribeInstancesResponse>";
    } else if (action == "DescribeNetworkInterfaces") {
      out.body = "<DescribeNetworkInterfacesResponse" + ns +
                 "><requestId>r</requestId><networkInterfaceSet/></DescribeNetworkInterfacesResponse>";
    } else if (action == "DescribeAddresses") {
      out.body = "<DescribeAddressesResponse" + ns +
                 "><requestId>r</requestId><addressesSet/></DescribeAddressesResponse>";
    } else {
      return MakeError(ErrorKind::kInternal, "unexpected " + action);
    }
    return out;
  }

  Result<ResolvedTarget> Resolve(const std::string& text, std::vector<std::string> regions,
                                 const std::string& vpc = "") {
    TargetQuery q;
    q.text = text;
    q.regions = std::move(regions);
    q.vpc_id = vpc;
    return ResolveTarget(*client_, q);
  }

  std::string home_ = "us-east-1";
  std::set<std::string> refusing_;
  std::shared_ptr<aws::FakeTransport> transport_;
  std::unique_ptr<aws::Client> client_;
};

TEST_F(ResolveAcrossRegions, EveryRegionAnsweredNothingSkipped) {
  auto t = Resolve(kIp, {"eu-west-1", "us-east-1", "us-west-2"});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->instance_id, kIid);
  EXPECT_EQ(t->region, "us-east-1");
  EXPECT_TRUE(t->skipped_regions.empty());
  EXPECT_FALSE(t->uniqueness_unproven);
  EXPECT_TRUE(RequireDefinitive(*t, kIp));
}

TEST_F(ResolveAcrossRegions, IpMatchWithAFailedRegionIsUnproven) {
  refusing_ = {"eu-west-1", "ap-south-1"};
  auto t = Resolve(kIp, {"ap-south-1", "eu-west-1", "us-east-1", "us-west-2"});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->instance_id, kIid);
  ASSERT_EQ(t->skipped_regions.size(), 2u);
  EXPECT_EQ(t->skipped_regions[0].region, "ap-south-1");
  EXPECT_EQ(t->skipped_regions[1].region, "eu-west-1");
  EXPECT_EQ(t->skipped_regions[1].error.code, "UnauthorizedOperation");
  EXPECT_TRUE(t->uniqueness_unproven);
  auto s = RequireDefinitive(*t, kIp);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kConflict);
  for (const char* part :
       {"ap-south-1", "eu-west-1", "UnauthorizedOperation", "--region us-east-1", "--vpc vpc-1"})
    EXPECT_NE(s.error().message.find(part), std::string::npos) << part << " in " << s.error().message;
}

TEST_F(ResolveAcrossRegions, IdMatchWithAFailedRegionIsDefinitive) {
  refusing_ = {"eu-west-1"};
  auto t = Resolve(kIid, {"eu-west-1", "us-east-1"});
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->skipped_regions.size(), 1u);
  EXPECT_EQ(t->skipped_regions[0].region, "eu-west-1");
  EXPECT_FALSE(t->uniqueness_unproven);
  EXPECT_TRUE(RequireDefinitive(*t, kIid));
}

TEST_F(ResolveAcrossRegions, IpMatchInsideTheVpcIsDefinitive) {
  refusing_ = {"eu-west-1"};
  auto t = Resolve(kIp, {"eu-west-1", "us-east-1"}, "vpc-1");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->skipped_regions.size(), 1u);
  EXPECT_FALSE(t->uniqueness_unproven);
}

TEST_F(ResolveAcrossRegions, NotFoundWhereSearchedIsNotNotFound) {
  refusing_ = {"eu-west-1"};
  home_ = "nowhere";
  auto t = Resolve(kIp, {"eu-west-1", "us-east-1"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::kAccessDenied);
  EXPECT_NE(t.error().message.find("no instance with the IP address 10.0.2.20 in us-east-1"),
            std::string::npos)
      << t.error().message;
  EXPECT_NE(t.error().message.find("could not search eu-west-1"), std::string::npos) << t.error().message;
}

TEST_F(ResolveAcrossRegions, EveryRegionFailingIsTheFirstRegionsError) {
  refusing_ = {"eu-west-1", "us-east-1"};
  auto t = Resolve(kIp, {"eu-west-1", "us-east-1"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(t.error().code, "UnauthorizedOperation");
  EXPECT_NE(t.error().message.find("in eu-west-1 (all 2 regions failed)"), std::string::npos)
      << t.error().message;
}

}  // namespace
}  // namespace cordon::cloud
