#include "response/subnet_nacl.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "response/live_state.h"

namespace cordon::response {
namespace {

constexpr char kPurpose[] = "nacl-isolation";

// Targets of one run that share a VPC must not race to create the same network ACL.
std::mutex ensure_mu;

}  // namespace

Result<SubnetAcl> SubnetAssociation(const StepContext& ctx, const std::string& subnet_id) {
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", Filters("association.subnet-id", {subnet_id}));
  if (!out) return MakeError(out.error());
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    for (const Json& a : acl.value("Associations", Json::array()))
      if (Str(a, "SubnetId") == subnet_id)
        return SubnetAcl{subnet_id, Str(a, "NetworkAclAssociationId"), Str(acl, "NetworkAclId")};
  return MakeError(ErrorKind::kNotFound, "subnet " + subnet_id + " has no network ACL association");
}

Result<std::string> FindIsolationAcl(const StepContext& ctx, const std::string& vpc_id) {
  Json input = {{"Filters", Json::array({Json{{"Name", "vpc-id"}, {"Values", {vpc_id}}},
                                         Json{{"Name", "tag:cordon:purpose"}, {"Values", {kPurpose}}}})}};
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", input);
  if (!out) return MakeError(out.error());
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    if (TagValue(acl.value("Tags", Json::array()), "cordon:purpose") == kPurpose)
      return Str(acl, "NetworkAclId");
  return std::string();
}

Result<std::string> EnsureIsolationAcl(const StepContext& ctx, const std::string& vpc_id) {
  std::lock_guard<std::mutex> lock(ensure_mu);
  auto found = FindIsolationAcl(ctx, vpc_id);
  if (!found || !found->empty()) return found;
  Json tags = Json::array({Json{{"Key", "cordon:managed"}, {"Value", "true"}},
                           Json{{"Key", "cordon:purpose"}, {"Value", kPurpose}},
                           Json{{"Key", "Name"}, {"Value", "cordon-nacl-isolation-" + vpc_id}}});
  auto out = ctx.Call(
      "ec2", "CreateNetworkAcl",
      Json{{"VpcId", vpc_id},
           {"TagSpecifications", Json::array({Json{{"ResourceType", "network-acl"}, {"Tags", tags}}})}});
  if (!out) return MakeError(out.error());
  std::string id = Str(out->value("NetworkAcl", Json::object()), "NetworkAclId");
  if (id.empty()) return MakeError(ErrorKind::kInternal, "CreateNetworkAcl answered no NetworkAclId");
  return id;
}

Status AssociateAcl(const StepContext& ctx, const std::string& subnet_id, const std::string& network_acl_id) {
  auto now = SubnetAssociation(ctx, subnet_id);
  if (!now) return MakeError(now.error());
  if (now->network_acl_id == network_acl_id) return Ok();
  auto r = ctx.Call("ec2", "ReplaceNetworkAclAssociation",
                    Json{{"AssociationId", now->association_id}, {"NetworkAclId", network_acl_id}});
  if (!r) return MakeError(r.error());
  return Ok();
}

Result<std::vector<SubnetNeighbours>> FindSubnetNeighbours(const StepContext& ctx) {
  auto mine = DescribeTargetEnis(ctx);
  if (!mine) return MakeError(mine.error());
  std::set<std::string> own;
  std::vector<std::string> subnets;
  for (const Json& e : *mine) {
    own.insert(Str(e, "NetworkInterfaceId"));
    const std::string s = Str(e, "SubnetId");
    if (!s.empty() && std::find(subnets.begin(), subnets.end(), s) == subnets.end()) subnets.push_back(s);
  }
  std::vector<SubnetNeighbours> out;
  std::vector<std::string> instances;
  for (const std::string& subnet : subnets) {
    auto enis = ctx.CallAll("ec2", "DescribeNetworkInterfaces", Filters("subnet-id", {subnet}));
    if (!enis) return MakeError(enis.error());
    SubnetNeighbours s{subnet, {}};
    for (const Json& e : enis->value("NetworkInterfaces", Json::array())) {
      if (own.count(Str(e, "NetworkInterfaceId")) != 0) continue;
      Neighbour n{Str(e, "NetworkInterfaceId"), Str(e.value("Attachment", Json::object()), "InstanceId"),
                  Str(e, "Description")};
      if (!n.instance_id.empty()) instances.push_back(n.instance_id);
      s.neighbours.push_back(n);
    }
    out.push_back(std::move(s));
  }
  if (instances.empty()) return out;
  // The instances by their Name tags, so the responder sees which hosts go dark.
  auto described = ctx.CallAll("ec2", "DescribeInstances", Json{{"InstanceIds", instances}});
  if (!described) return MakeError(described.error());
  for (const Json& r : described->value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array()))
      for (SubnetNeighbours& s : out)
        for (Neighbour& n : s.neighbours)
          if (n.instance_id == Str(i, "InstanceId"))
            n.name = TagValue(i.value("Tags", Json::array()), "Name");
  return out;
}

std::string DescribeNeighbour(const Neighbour& n) {
  if (n.instance_id.empty()) return n.eni_id + (n.name.empty() ? "" : " (" + n.name + ")");
  return n.instance_id + " (" + (n.name.empty() ? "" : n.name + ", ") + n.eni_id + ")";
}

std::vector<std::string> DescribeSubnetNeighbours(const std::vector<SubnetNeighbours>& subnets) {
  std::vector<std::string> out;
  for (const SubnetNeighbours& s : subnets) {
    std::string line = s.subnet_id + ": network ACL isolation (deny all in and out) also cuts off ";
    if (s.neighbours.empty()) line += "no other network interface";
    for (size_t i = 0; i < s.neighbours.size(); ++i)
      line += (i ? ", " : "") + DescribeNeighbour(s.neighbours[i]);
    out.push_back(line);
  }
  return out;
}

}  // namespace cordon::response
