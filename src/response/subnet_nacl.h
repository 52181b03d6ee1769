// Opt-in subnet isolation with a network ACL (contain --nacl; DESIGN.md rule 3: a network ACL is
// opt-in only, as it affects the whole subnet). cordon-nacl-isolation-<vpc> is a custom network ACL
// with no rules of its own: a custom network ACL denies all inbound and outbound traffic until rules
// are added (VPC User Guide, "Custom network ACLs"). Network ACLs are stateless, so associating it
// with a subnet also cuts established connections, of every network interface in that subnet.
// Tagged cordon:managed=true, cordon:purpose=nacl-isolation and Name.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "response/step.h"

namespace cordon::response {

// A subnet's network ACL association (every VPC subnet has exactly one).
struct SubnetAcl {
  std::string subnet_id;
  std::string association_id;
  std::string network_acl_id;
};

Result<SubnetAcl> SubnetAssociation(const StepContext& ctx, const std::string& subnet_id);

// The VPC's isolation network ACL, "" when there is none; creates nothing.
Result<std::string> FindIsolationAcl(const StepContext& ctx, const std::string& vpc_id);
// Finds or creates it (safe when several targets of one run share the VPC).
Result<std::string> EnsureIsolationAcl(const StepContext& ctx, const std::string& vpc_id);

// Points the subnet at `network_acl_id` (ReplaceNetworkAclAssociation on its current association).
Status AssociateAcl(const StepContext& ctx, const std::string& subnet_id, const std::string& network_acl_id);

// Another network interface in a subnet of the target: what the network ACL cuts off with it.
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

// "i-0abc (web-2, eni-0123)" or "eni-0123 (ELB app/web-alb)".
std::string DescribeNeighbour(const Neighbour& n);

// One line per subnet: "subnet-1: network ACL isolation also cuts off i-0abc (web-2, eni-1), ...".
std::vector<std::string> DescribeSubnetNeighbours(const std::vector<SubnetNeighbours>& subnets);

}  // namespace cordon::response
