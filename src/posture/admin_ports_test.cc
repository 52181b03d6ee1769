#include "posture/admin_ports.h"

#include <gtest/gtest.h>

namespace cordon::posture {
namespace {

std::vector<int> Ports(std::string_view protocol, int from, int to) {
  std::vector<int> out;
  for (const AdminPort& p : AdminPortsOpened(protocol, from, to)) out.push_back(p.port);
  return out;
}

TEST(AdminPortsOpened, SinglePortRules) {
  EXPECT_EQ(Ports("tcp", 22, 22), std::vector<int>({22}));
  EXPECT_EQ(Ports("tcp", 3389, 3389), std::vector<int>({3389}));
  EXPECT_EQ(Ports("udp", 3389, 3389), std::vector<int>({3389}));
  EXPECT_TRUE(Ports("tcp", 443, 443).empty());
  EXPECT_TRUE(Ports("udp", 22, 22).empty()) << "SSH is tcp only";
}

TEST(AdminPortsOpened, RangesIncludeTheirEnds) {
  EXPECT_EQ(Ports("tcp", 20, 23), std::vector<int>({22, 23}));
  EXPECT_EQ(Ports("tcp", 23, 445), std::vector<int>({23, 445}));
  EXPECT_EQ(Ports("tcp", 3000, 4000), std::vector<int>({3389}));
  EXPECT_TRUE(Ports("tcp", 24, 444).empty());
  EXPECT_EQ(Ports("tcp", 0, 65535).size(), 10u) << "every tcp admin port";
}

TEST(AdminPortsOpened, AllTrafficOpensEveryAdminPort) {
  EXPECT_EQ(AdminPortsOpened("all", -1, -1).size(), AdminPorts().size());
  EXPECT_EQ(AdminPortsOpened("-1", -1, -1).size(), AdminPorts().size());
}

TEST(AdminPortsOpened, IcmpAndMalformedRangesOpenNone) {
  EXPECT_TRUE(Ports("icmp", 8, 0).empty());
  EXPECT_TRUE(Ports("icmpv6", -1, -1).empty());
  EXPECT_TRUE(Ports("tcp", -1, -1).empty());
  EXPECT_TRUE(Ports("tcp", 30, 20).empty());
  EXPECT_TRUE(Ports("50", -1, -1).empty()) << "ESP has no ports";
}

TEST(DescribeAdminPorts, NamesEach) {
  EXPECT_EQ(DescribeAdminPorts(AdminPortsOpened("tcp", 22, 23)), "SSH (tcp/22), Telnet (tcp/23)");
  EXPECT_EQ(DescribeAdminPorts({}), "");
}

}  // namespace
}  // namespace cordon::posture
