#include "response/subnet_neighbours.h"

#include <algorithm>
#include <set>

#include "response/live_state.h"

namespace cordon::response {
namespace {

// The Name tag of each instance of `subnets`, so the responder sees which hosts go dark.
Status NameInstances(const StepContext& ctx, std::vector<SubnetNeighbours>* subnets) {
  std::vector<std::string> ids;
  for (const SubnetNeighbours& s : *subnets)
    for (const Neighbour& n : s.neighbours)
      if (!n.instance_id.empty() && std::find(ids.begin(), ids.end(), n.instance_id) == ids.end())
        ids.push_back(n.instance_id);
  if (ids.empty()) return Ok();
  auto described = ctx.CallAll("ec2", "DescribeInstances", Json{{"InstanceIds", ids}});
  if (!described) return MakeError(described.error());
  for (const Json& r : described->value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array())) {
      const std::string name = TagValue(i.value("Tags", Json::array()), "Name");
      for (SubnetNeighbours& s : *subnets)
        for (Neighbour& n : s.neighbours)
          if (n.instance_id == Str(i, "InstanceId") && !name.empty()) n.name = name;
    }
  return Ok();
}

}  // namespace

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
  for (const std::string& subnet : subnets) {
    auto enis = ctx.CallAll("ec2", "DescribeNetworkInterfaces", Filters("subnet-id", {subnet}));
    if (!enis) return MakeError(enis.error());
    SubnetNeighbours s{subnet, {}};
    for (const Json& e : enis->value("NetworkInterfaces", Json::array())) {
      if (own.count(Str(e, "NetworkInterfaceId")) != 0) continue;
      s.neighbours.push_back(Neighbour{Str(e, "NetworkInterfaceId"),
                                       Str(e.value("Attachment", Json::object()), "InstanceId"),
                                       Str(e, "Description")});
    }
    out.push_back(std::move(s));
  }
  if (Status named = NameInstances(ctx, &out); !named) return MakeError(named.error());
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
