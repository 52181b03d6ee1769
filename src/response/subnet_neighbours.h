// What contain --nacl cuts off besides the target: every other network interface in the subnets of
// the target's interfaces (instances, load balancers, NAT gateways, endpoints). Named in the plan
// and before the confirmation, with --yes too (DESIGN.md rule 3).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "response/step.h"

namespace cordon::response {

// Another network interface in a subnet of the target.
struct Neighbour {
  std::string eni_id;
  std::string instance_id;  // "" for an interface of no instance (a load balancer's, a NAT gateway's)
  std::string name;         // the instance's Name tag, else the interface's description
};
struct SubnetNeighbours {
  std::string subnet_id;
  std::vector<Neighbour> neighbours;
};

// The subnets of ctx.target's interfaces, each with the other interfaces in it. Read-only.
Result<std::vector<SubnetNeighbours>> FindSubnetNeighbours(const StepContext& ctx);

// "i-0abc (web-2, eni-0123)", "i-0abc (eni-0123)" or "eni-0123 (ELB app/web-alb)".
std::string DescribeNeighbour(const Neighbour& n);

// One line per subnet: "subnet-1: network ACL isolation (deny all in and out) also cuts off
// i-0abc (web-2, eni-1), eni-2 (...)", or "... cuts off no other network interface".
std::vector<std::string> DescribeSubnetNeighbours(const std::vector<SubnetNeighbours>& subnets);

}  // namespace cordon::response
