// Target classification, and resolution across regions against a FakeTransport that answers per
// region: a region that fails while another answers is carried in the result, and only matters for a
// match by IP; so is a failed public-address (Elastic IP) lookup.
#include "cloud/target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "aws/http/fake_transport.h"
#include "testing/static_credentials.h"

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

constexpr char kIid[] = "i-0123456789abcdef0";
constexpr char kIp[] = "10.0.2.20";
constexpr char kPublicIp[] = "203.0.113.20";  // the fake finds kIid by any address

// EC2 in three kinds of region: one holding kIid (on kIp), regions that hold nothing, and regions that
// refuse every call as an opt-in region that is not enabled does.
class ResolveAcrossRegions : public ::testing::Test {
 protected:
  ResolveAcrossRegions() {
    transport_ =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return Answer(r); });
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<test::StaticCredentials>();
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
    const bool refused_call =
        std::any_of(refused_calls_.begin(), refused_calls_.end(),
                    [&](const std::string& c) { return c == action || r.body.find(c) != std::string::npos; });
    const bool broken_call =
        std::any_of(broken_calls_.begin(), broken_calls_.end(),
                    [&](const std::string& c) { return r.body.find(c) != std::string::npos; });
    if (broken_call) {
      out.status = 500;
      out.body =
          "<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred"
          "</Message></Error></Errors><RequestID>req-y</RequestID></Response>";
    } else if (refusing_.count(region) || refused_call) {
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
  // Calls refused in every region: an action ("DescribeAddresses") or a text in the request
  // ("association.public-ip", a filter name).
  std::set<std::string> refused_calls_;
  std::set<std::string> broken_calls_;  // the same, answered 500 InternalError
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
  EXPECT_EQ(s.error().kind, ErrorKind::kAmbiguous);
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

// The public-address lookups are best effort, but a failed one is not silent.

// A private address is never an Elastic IP or a public IP: a failed public-address lookup hides nothing.
TEST_F(ResolveAcrossRegions, PrivateIpMatchWithElasticIpLookupDeniedIsDefinitive) {
  refused_calls_ = {"DescribeAddresses"};
  for (const char* ip : {"10.0.2.20", "172.31.5.6", "192.168.1.1", "100.64.0.9"}) {
    auto t = Resolve(ip, {"us-east-1"});
    ASSERT_TRUE(t) << t.error().ToString();
    EXPECT_TRUE(t->failed_lookups.empty()) << ip;
    EXPECT_FALSE(t->uniqueness_unproven) << ip;
  }
}

TEST_F(ResolveAcrossRegions, PublicIpMatchWithElasticIpLookupDeniedIsUnproven) {
  refused_calls_ = {"DescribeAddresses"};
  auto t = Resolve(kPublicIp, {"us-east-1"});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->instance_id, kIid);
  EXPECT_TRUE(t->skipped_regions.empty());
  ASSERT_EQ(t->failed_lookups.size(), 1u);
  EXPECT_EQ(t->failed_lookups[0].region, "us-east-1");
  EXPECT_EQ(t->failed_lookups[0].action, "ec2:DescribeAddresses");
  EXPECT_EQ(t->failed_lookups[0].error.code, "UnauthorizedOperation");
  EXPECT_TRUE(t->uniqueness_unproven);
  auto s = RequireDefinitive(*t, kPublicIp);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kAmbiguous);
  for (const char* part : {"ec2:DescribeAddresses", "Elastic IP", "UnauthorizedOperation",
                           "grant ec2:DescribeAddresses", "instance id", "--vpc vpc-1"})
    EXPECT_NE(s.error().message.find(part), std::string::npos) << part << " in " << s.error().message;
}

TEST_F(ResolveAcrossRegions, NothingFoundWithElasticIpLookupDeniedIsAccessDenied) {
  refused_calls_ = {"DescribeAddresses"};
  home_ = "nowhere";
  auto t = Resolve(kPublicIp, {"us-east-1"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::kAccessDenied);
  EXPECT_EQ(t.error().code, "UnauthorizedOperation");
  for (const char* part : {"no instance with the IP address 203.0.113.20 in us-east-1",
                           "ec2:DescribeAddresses", "grant ec2:DescribeAddresses", "instance id"})
    EXPECT_NE(t.error().message.find(part), std::string::npos) << part << " in " << t.error().message;
}

TEST_F(ResolveAcrossRegions, IpMatchInsideTheVpcWithALookupDeniedIsDefinitive) {
  refused_calls_ = {"DescribeAddresses"};
  auto t = Resolve(kPublicIp, {"us-east-1"}, "vpc-1");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->failed_lookups.size(), 1u);
  EXPECT_FALSE(t->uniqueness_unproven);
  EXPECT_TRUE(RequireDefinitive(*t, kPublicIp));
}

TEST_F(ResolveAcrossRegions, InterfaceFilterFailingAloneIsNotReported) {
  // Some emulators lack the association.public-ip filter; the Elastic IP lookup covers what it finds.
  refused_calls_ = {"association.public-ip"};
  auto t = Resolve(kPublicIp, {"us-east-1"});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_TRUE(t->failed_lookups.empty());
  EXPECT_FALSE(t->uniqueness_unproven);
}

TEST_F(ResolveAcrossRegions, BothPublicAddressLookupsFailingAreNamed) {
  refused_calls_ = {"association.public-ip", "DescribeAddresses"};
  auto t = Resolve(kPublicIp, {"us-east-1"});
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->failed_lookups.size(), 2u);
  EXPECT_EQ(t->failed_lookups[0].action, "ec2:DescribeAddresses");
  EXPECT_EQ(t->failed_lookups[1].action, "ec2:DescribeNetworkInterfaces");
  EXPECT_TRUE(t->uniqueness_unproven);
}

TEST_F(ResolveAcrossRegions, NothingFoundIsTheElasticIpLookupsError) {
  // The interface filter fails differently (a 500, as where it is missing); the Elastic IP lookup's
  // access denied is the error.
  refused_calls_ = {"DescribeAddresses"};
  broken_calls_ = {"association.public-ip"};
  home_ = "nowhere";
  auto t = Resolve(kPublicIp, {"us-east-1"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::kAccessDenied);
}

TEST_F(ResolveAcrossRegions, IdLookupMakesNoPublicAddressLookup) {
  refused_calls_ = {"DescribeAddresses"};
  auto t = Resolve(kIid, {"us-east-1"});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_TRUE(t->failed_lookups.empty());
  EXPECT_FALSE(t->uniqueness_unproven);
}

}  // namespace
}  // namespace cordon::cloud
