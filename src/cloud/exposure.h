// Exposure: the security-group rules that let the whole internet (0.0.0.0/0, ::/0) reach an instance.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace cordon::cloud {

// One inbound rule open to the internet.
struct OpenRule {
  std::string group_id;
  std::string group_name;
  std::string protocol;  // "tcp", "udp", "icmp", "icmpv6", "all", or a protocol number
  int from_port = -1;    // -1 with "all": every port
  int to_port = -1;
  std::string cidr;  // "0.0.0.0/0" or "::/0"

  // "tcp/22", "tcp/8000-8100", "all traffic", "icmp".
  std::string PortText() const;
};

// The inbound rules open to 0.0.0.0/0 or ::/0 in a DescribeSecurityGroups output
// ({"SecurityGroups": [...]}, as boto3 returns it), in group then rule order. Pure.
std::vector<OpenRule> FindOpenRules(const Json& describe_security_groups_output);

Json ToJson(const OpenRule& rule);

}  // namespace cordon::cloud
