// What an isolated instance's SSM agent still needs to reach for memory capture (DESIGN.md §3
// rule 7): the VPC's interface endpoints for ssm, ssmmessages and ec2messages, and S3 (its gateway
// endpoint's prefix list, or an S3 interface endpoint) for the upload to the evidence bucket.
// cordon's ssm-reach group (isolation_groups.h) has egress tcp/443 to exactly these, and nothing
// else; it is on a capturing instance's primary ENI only while its capture runs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

struct SsmReach {
  std::string vpc_id;
  // "ssm", "ssmmessages", "ec2messages", "s3" -> the private IPs of the interface endpoint's ENIs,
  // with the endpoint id.
  struct Interface {
    std::string endpoint_id;
    std::vector<std::string> ips;
  };
  std::map<std::string, Interface> interfaces;
  std::string s3_gateway_id;         // vpce-... of the S3 gateway endpoint, or ""
  std::string s3_prefix_list;        // pl-... of S3 in this region, when there is a gateway endpoint
  std::vector<std::string> missing;  // of the four, those the agent could not reach

  // The egress rules the ssm-reach group gets: tcp/443 to each IP/32 and to the prefix list.
  std::vector<Json> EgressPermissions() const;
  // For the journal: {"vpc_id", "interfaces": {svc: {"endpoint_id", "ips"}}, "s3_gateway",
  // "s3_prefix_list", "rules": [...]}.
  Json ToJson() const;
};

// Looks the endpoints up (ec2:DescribeVpcEndpoints, DescribeNetworkInterfaces, DescribePrefixLists).
// Endpoints not "available" count as missing.
Result<SsmReach> FindSsmReach(const StepContext& ctx, const std::string& vpc_id);

// Adds reach.EgressPermissions() to `group_id` (rules already there are fine).
Status AllowSsmEgress(const StepContext& ctx, const std::string& group_id, const SsmReach& reach);

}  // namespace cordon::response
