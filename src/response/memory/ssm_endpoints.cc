#include "response/memory/ssm_endpoints.h"

#include "base/strings.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

// The services the agent needs, in the order messages name them. ec2messages and ssmmessages carry
// Run Command's traffic (by agent version); ssm is its control plane; s3 takes the upload.
constexpr std::string_view kNeeded[] = {"ssm", "ssmmessages", "ec2messages", "s3"};

// "com.amazonaws.us-east-1.ssm" -> "ssm" when it is one of kNeeded in `region`, else "".
std::string ShortName(const std::string& service_name, const std::string& region) {
  for (std::string_view s : kNeeded)
    if (EndsWith(service_name, "." + region + "." + std::string(s))) return std::string(s);
  return "";
}

Json Tcp443() { return Json{{"IpProtocol", "tcp"}, {"FromPort", 443}, {"ToPort", 443}}; }

}  // namespace

std::vector<Json> SsmReach::EgressPermissions() const {
  std::vector<Json> out;
  for (const auto& [service, itf] : interfaces) {
    for (const std::string& ip : itf.ips) {
      Json p = Tcp443();
      p["IpRanges"] = Json::array({Json{
          {"CidrIp", ip + "/32"}, {"Description", "cordon rule 7: " + service + " " + itf.endpoint_id}}});
      out.push_back(p);
    }
  }
  if (!s3_prefix_list.empty()) {
    Json p = Tcp443();
    p["PrefixListIds"] = Json::array(
        {Json{{"PrefixListId", s3_prefix_list}, {"Description", "cordon rule 7: s3 " + s3_gateway_id}}});
    out.push_back(p);
  }
  return out;
}

Json SsmReach::ToJson() const {
  Json itfs = Json::object();
  for (const auto& [service, itf] : interfaces)
    itfs[service] = Json{{"endpoint_id", itf.endpoint_id}, {"ips", itf.ips}};
  Json rules = Json::array();
  for (const Json& p : EgressPermissions()) rules.push_back(p);
  return Json{{"vpc_id", vpc_id},
              {"interfaces", itfs},
              {"s3_gateway", s3_gateway_id},
              {"s3_prefix_list", s3_prefix_list},
              {"missing", missing},
              {"rules", rules}};
}

Result<SsmReach> FindSsmReach(const StepContext& ctx, const std::string& vpc_id) {
  SsmReach reach;
  reach.vpc_id = vpc_id;
  auto endpoints = ctx.CallAll("ec2", "DescribeVpcEndpoints", Filters("vpc-id", {vpc_id}));
  if (!endpoints) return MakeError(endpoints.error());
  std::map<std::string, std::string> eni_service;  // ENI id -> short service name
  for (const Json& e : endpoints->value("VpcEndpoints", Json::array())) {
    std::string service = ShortName(Str(e, "ServiceName"), ctx.target.region);
    if (service.empty() || ToLower(Str(e, "State")) != "available") continue;
    if (ToLower(Str(e, "VpcEndpointType")) == "gateway") {
      if (service == "s3") reach.s3_gateway_id = Str(e, "VpcEndpointId");
      continue;
    }
    if (reach.interfaces.count(service)) continue;  // one endpoint per service is enough
    reach.interfaces[service].endpoint_id = Str(e, "VpcEndpointId");
    for (const Json& eni : e.value("NetworkInterfaceIds", Json::array()))
      eni_service[eni.get<std::string>()] = service;
  }
  if (!eni_service.empty()) {
    std::vector<std::string> ids;
    for (const auto& [id, service] : eni_service) ids.push_back(id);
    auto enis = ctx.CallAll("ec2", "DescribeNetworkInterfaces", Json{{"NetworkInterfaceIds", ids}});
    if (!enis) return MakeError(enis.error());
    for (const Json& eni : enis->value("NetworkInterfaces", Json::array())) {
      std::string ip = Str(eni, "PrivateIpAddress");
      auto it = eni_service.find(Str(eni, "NetworkInterfaceId"));
      if (!ip.empty() && it != eni_service.end()) reach.interfaces[it->second].ips.push_back(ip);
    }
  }
  if (!reach.s3_gateway_id.empty()) {
    auto lists = ctx.CallAll("ec2", "DescribePrefixLists",
                             Filters("prefix-list-name", {"com.amazonaws." + ctx.target.region + ".s3"}));
    if (!lists) return MakeError(lists.error());
    for (const Json& l : lists->value("PrefixLists", Json::array()))
      reach.s3_prefix_list = Str(l, "PrefixListId");
  }
  for (std::string_view s : kNeeded) {
    std::string name(s);
    auto it = reach.interfaces.find(name);
    bool reachable = it != reach.interfaces.end() && !it->second.ips.empty();
    if (name == "s3") reachable = reachable || !reach.s3_prefix_list.empty();
    if (!reachable) reach.missing.push_back(name);
  }
  return reach;
}

Status AllowSsmEgress(const StepContext& ctx, const std::string& group_id, const SsmReach& reach) {
  for (const Json& perm : reach.EgressPermissions()) {
    auto r = ctx.Call("ec2", "AuthorizeSecurityGroupEgress",
                      Json{{"GroupId", group_id}, {"IpPermissions", Json::array({perm})}});
    if (!r && r.error().code.find("Duplicate") == std::string::npos) return MakeError(r.error());
  }
  return Ok();
}

}  // namespace cordon::response
