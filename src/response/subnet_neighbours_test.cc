#include "response/subnet_neighbours.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

TEST(SubnetNeighboursTest, NamesInstancesAndBareInterfaces) {
  EXPECT_EQ(DescribeNeighbour({"eni-1", "i-1", "web-2"}), "i-1 (web-2, eni-1)");
  EXPECT_EQ(DescribeNeighbour({"eni-1", "i-1", ""}), "i-1 (eni-1)");
  EXPECT_EQ(DescribeNeighbour({"eni-2", "", "ELB app/web-alb"}), "eni-2 (ELB app/web-alb)");
  EXPECT_EQ(DescribeNeighbour({"eni-3", "", ""}), "eni-3");
}

// Every subnet gets a line, an empty one too: the responder sees that nothing else is cut off.
TEST(SubnetNeighboursTest, OneLinePerSubnet) {
  std::vector<SubnetNeighbours> subnets = {
      {"subnet-1", {{"eni-1", "i-1", "billing-db-1"}, {"eni-2", "", "NAT gateway"}}},
      {"subnet-2", {}},
  };
  auto lines = DescribeSubnetNeighbours(subnets);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "subnet-1: network ACL isolation (deny all in and out) also cuts off i-1 (billing-db-1, eni-1), "
            "eni-2 (NAT gateway)");
  EXPECT_EQ(lines[1],
            "subnet-2: network ACL isolation (deny all in and out) also cuts off no other network "
            "interface");
}

}  // namespace
}  // namespace cordon::response
