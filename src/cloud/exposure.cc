#include "cloud/exposure.h"

namespace cordon::cloud {
namespace {

std::string ProtocolName(const std::string& p) {
  if (p == "-1") return "all";
  if (p == "6") return "tcp";
  if (p == "17") return "udp";
  if (p == "1") return "icmp";
  if (p == "58") return "icmpv6";
  return p;
}

}  // namespace

std::string OpenRule::PortText() const {
  if (protocol == "all") return "all traffic";
  if (protocol == "icmp" || protocol == "icmpv6" || from_port < 0) return protocol;
  if (protocol != "tcp" && protocol != "udp") return protocol;
  if (from_port == 0 && to_port == 65535) return protocol + "/all ports";
  if (from_port == to_port) return protocol + "/" + std::to_string(from_port);
  return protocol + "/" + std::to_string(from_port) + "-" + std::to_string(to_port);
}

std::vector<OpenRule> FindOpenRules(const Json& out) {
  std::vector<OpenRule> rules;
  for (const Json& g : out.value("SecurityGroups", Json::array())) {
    for (const Json& perm : g.value("IpPermissions", Json::array())) {
      OpenRule base;
      base.group_id = g.value("GroupId", "");
      base.group_name = g.value("GroupName", "");
      base.protocol = ProtocolName(perm.value("IpProtocol", "-1"));
      if (perm.contains("FromPort") && perm["FromPort"].is_number())
        base.from_port = perm["FromPort"].get<int>();
      if (perm.contains("ToPort") && perm["ToPort"].is_number()) base.to_port = perm["ToPort"].get<int>();
      for (const Json& r : perm.value("IpRanges", Json::array()))
        if (r.value("CidrIp", "") == "0.0.0.0/0") {
          OpenRule rule = base;
          rule.cidr = "0.0.0.0/0";
          rules.push_back(rule);
        }
      for (const Json& r : perm.value("Ipv6Ranges", Json::array()))
        if (r.value("CidrIpv6", "") == "::/0") {
          OpenRule rule = base;
          rule.cidr = "::/0";
          rules.push_back(rule);
        }
    }
  }
  return rules;
}

Json ToJson(const OpenRule& r) {
  return Json{{"group_id", r.group_id},   {"group_name", r.group_name}, {"protocol", r.protocol},
              {"from_port", r.from_port}, {"to_port", r.to_port},       {"cidr", r.cidr},
              {"ports", r.PortText()}};
}

}  // namespace cordon::cloud
