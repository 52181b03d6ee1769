// DescribeInstances by ids against a FakeTransport that answers the ids each call names: the chunks,
// every page of a chunk, and the one-instance form's "not found".
#include "cloud/instances_by_id.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aws/http/fake_transport.h"
#include "testing/static_credentials.h"

namespace cordon::cloud {
namespace {

std::string IdOf(size_t i) {
  std::string n = std::to_string(i);
  return "i-" + std::string(17 - n.size(), '0') + n;
}

class InstancesById : public ::testing::Test {
 protected:
  InstancesById() {
    auto transport =
        std::make_shared<aws::FakeTransport>([this](const aws::HttpRequest& r) { return Answer(r); });
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.credentials = std::make_shared<test::StaticCredentials>();
    options.transport = transport;
    options.retry.max_attempts = 1;
    options.rate_limit = aws::RateLimit::Unlimited();
    client_ = std::make_unique<aws::Client>(options);
  }

  // The ids the call names (InstanceId.N=...), each answered as a running instance, except those in
  // unknown_. A call of more than 60 ids answers them over two pages (NextToken).
  Result<aws::HttpResponse> Answer(const aws::HttpRequest& r) {
    std::vector<std::string> ids;
    for (size_t at = r.body.find("InstanceId."); at != std::string::npos;
         at = r.body.find("InstanceId.", at + 1)) {
      size_t eq = r.body.find('=', at), end = r.body.find('&', at);
      ids.push_back(r.body.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1));
    }
    calls_.push_back(ids.size());
    const bool second_page = r.body.find("NextToken=page2") != std::string::npos;
    size_t from = 0, to = ids.size();
    std::string token;
    if (ids.size() > 60) {
      if (second_page)
        from = 60;
      else
        to = 60, token = "<nextToken>page2</nextToken>";
    }
    std::string items;
    for (size_t i = from; i < to; ++i)
      if (!unknown_.count(ids[i]))
        items += "<item><reservationId>r</reservationId><instancesSet><item><instanceId>" + ids[i] +
                 "</instanceId><tagSet><item><key>n</key><value>" + ids[i] +
                 "</value></item></tagSet></item></instancesSet></item>";
    aws::HttpResponse out;
    out.status = 200;
    out.body =
        R"(<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet>)" +
        items + "</reservationSet>" + token + "</DescribeInstancesResponse>";
    return out;
  }

  std::unique_ptr<aws::Client> client_;
  std::vector<size_t> calls_;  // how many ids each call named
  std::set<std::string> unknown_;
};

TEST_F(InstancesById, ChunksOfAHundredEachFollowedOverEveryPage) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < 250; ++i) ids.push_back(IdOf(i));
  auto found = DescribeInstancesById(*client_, "eu-west-1", ids);
  ASSERT_TRUE(found) << found.error().ToString();
  EXPECT_EQ(found->size(), 250u);
  EXPECT_EQ((*found)[IdOf(249)]["Tags"][0]["Value"], IdOf(249));
  // 100 over two pages, 100 over two pages, then 50 in one.
  EXPECT_EQ(calls_, (std::vector<size_t>{100, 100, 100, 100, 50}));
}

TEST_F(InstancesById, OneInstanceOrNotFoundNamingTheRegion) {
  auto one = DescribeInstanceById(*client_, "us-east-1", IdOf(7));
  ASSERT_TRUE(one);
  EXPECT_EQ((*one)["InstanceId"], IdOf(7));
  unknown_.insert(IdOf(8));
  auto none = DescribeInstanceById(*client_, "us-east-1", IdOf(8));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(none.error().message, "instance " + IdOf(8) + " not found in us-east-1");
}

}  // namespace
}  // namespace cordon::cloud
