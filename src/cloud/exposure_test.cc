#include "cloud/exposure.h"

#include <gtest/gtest.h>

namespace cordon::cloud {
namespace {

TEST(FindOpenRules, FindsInternetOpenRulesOnly) {
  Json out = Json::parse(R"({"SecurityGroups": [
    {"GroupId": "sg-1", "GroupName": "web", "IpPermissions": [
      {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
      {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
      {"IpProtocol": "udp", "FromPort": 1000, "ToPort": 2000, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]},
    {"GroupId": "sg-2", "GroupName": "all", "IpPermissions": [
      {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]}
  ]})");
  auto rules = FindOpenRules(out);
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].group_id, "sg-1");
  EXPECT_EQ(rules[0].PortText(), "tcp/22");
  EXPECT_EQ(rules[0].cidr, "0.0.0.0/0");
  EXPECT_EQ(rules[1].PortText(), "udp/1000-2000");
  EXPECT_EQ(rules[1].cidr, "::/0");
  EXPECT_EQ(rules[2].PortText(), "all traffic");
  EXPECT_EQ(rules[3].cidr, "::/0");
}

TEST(FindOpenRules, EmptyAndOddInput) {
  EXPECT_TRUE(FindOpenRules(Json::object()).empty());
  EXPECT_TRUE(FindOpenRules(Json::parse(R"({"SecurityGroups": [{"GroupId": "sg-1"}]})")).empty());
}

TEST(OpenRule, PortText) {
  OpenRule r;
  r.protocol = "tcp";
  r.from_port = 0;
  r.to_port = 65535;
  EXPECT_EQ(r.PortText(), "tcp/all ports");
  r.protocol = "icmp";
  EXPECT_EQ(r.PortText(), "icmp");
}

}  // namespace
}  // namespace cordon::cloud
