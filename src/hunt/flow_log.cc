#include "hunt/flow_log.h"

#include <charconv>

namespace cordon::hunt {
namespace {

constexpr size_t kMaxFields = 128;

// Every field name in the AWS VPC and Transit Gateway flow log field lists (versions 2 to 8).
constexpr std::string_view kKnownFields[] = {
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "tcp-flags",
    "type",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "region",
    "az-id",
    "sublocation-type",
    "sublocation-id",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
    "flow-direction",
    "traffic-path",
    "ecs-cluster-arn",
    "ecs-cluster-name",
    "ecs-container-instance-arn",
    "ecs-container-instance-id",
    "ecs-container-id",
    "ecs-second-container-id",
    "ecs-service-name",
    "ecs-task-definition-arn",
    "ecs-task-arn",
    "ecs-task-id",
    "reject-reason",
    "resource-type",
    "tgw-id",
    "tgw-attachment-id",
    "tgw-src-vpc-account-id",
    "tgw-dst-vpc-account-id",
    "tgw-src-vpc-id",
    "tgw-dst-vpc-id",
    "tgw-src-subnet-id",
    "tgw-dst-subnet-id",
    "tgw-src-eni",
    "tgw-dst-eni",
    "tgw-src-az-id",
    "tgw-dst-az-id",
    "tgw-pair-attachment-id",
    "packets-lost-no-route",
    "packets-lost-blackhole",
    "packets-lost-mtu-exceeded",
    "packets-lost-ttl-expired",
};

bool IsKnown(std::string_view name) {
  for (std::string_view known : kKnownFields) {
    if (known == name) return true;
  }
  return false;
}

bool ParseNumber(std::string_view text, int64_t* out) {
  if (text == "-") {
    *out = -1;
    return true;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && *out >= 0;
}

std::string_view Field(const std::string_view* fields, int index) {
  if (index < 0) return {};
  return fields[index];
}

}  // namespace

size_t SplitFlowFields(std::string_view line, std::string_view* fields, size_t max_fields) {
  size_t count = 0;
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= n) break;
    const size_t start = i;
    while (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (count < max_fields) fields[count] = line.substr(start, i - start);
    ++count;
  }
  return count;
}

bool LooksLikeFlowHeader(std::string_view line) {
  std::string_view fields[1];
  if (SplitFlowFields(line, fields, 1) == 0) return false;
  const char c = fields[0][0];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

FlowHeader ParseFlowHeader(std::string_view line) {
  FlowHeader h;
  std::string_view fields[kMaxFields];
  const size_t count = SplitFlowFields(line, fields, kMaxFields);
  h.field_count = count;
  for (size_t i = 0; i < count && i < kMaxFields; ++i) {
    const std::string_view name = fields[i];
    const int index = static_cast<int>(i);
    if (name == "srcaddr")
      h.srcaddr = index;
    else if (name == "dstaddr")
      h.dstaddr = index;
    else if (name == "pkt-srcaddr")
      h.pkt_srcaddr = index;
    else if (name == "pkt-dstaddr")
      h.pkt_dstaddr = index;
    else if (name == "srcport")
      h.srcport = index;
    else if (name == "dstport")
      h.dstport = index;
    else if (name == "protocol")
      h.protocol = index;
    else if (name == "packets")
      h.packets = index;
    else if (name == "bytes")
      h.bytes = index;
    else if (name == "start")
      h.start = index;
    else if (name == "end")
      h.end = index;
    else if (name == "action")
      h.action = index;
    else if (name == "log-status")
      h.log_status = index;
    else if (name == "interface-id")
      h.interface_id = index;
    else if (name == "instance-id")
      h.instance_id = index;
    else if (name == "flow-direction")
      h.flow_direction = index;
    else if (!IsKnown(name))
      h.unknown_fields.emplace_back(name);
  }
  return h;
}

bool ParseFlowRecord(const FlowHeader& header, std::string_view line, FlowRecord* r, std::string* error) {
  std::string_view fields[kMaxFields];
  const size_t count = SplitFlowFields(line, fields, kMaxFields);
  if (count != header.field_count || count > kMaxFields) {
    *error = "a line with " + std::to_string(count) + " fields where the header has " +
             std::to_string(header.field_count);
    return false;
  }
  r->srcaddr = Field(fields, header.srcaddr);
  r->dstaddr = Field(fields, header.dstaddr);
  r->pkt_srcaddr = Field(fields, header.pkt_srcaddr);
  r->pkt_dstaddr = Field(fields, header.pkt_dstaddr);
  r->action = Field(fields, header.action);
  r->log_status = Field(fields, header.log_status);
  r->interface_id = Field(fields, header.interface_id);
  r->instance_id = Field(fields, header.instance_id);
  r->flow_direction = Field(fields, header.flow_direction);
  struct {
    int index;
    int64_t* out;
    const char* name;
  } numbers[] = {{header.srcport, &r->srcport, "srcport"},
                 {header.dstport, &r->dstport, "dstport"},
                 {header.protocol, &r->protocol, "protocol"},
                 {header.packets, &r->packets, "packets"},
                 {header.bytes, &r->bytes, "bytes"},
                 {header.start, &r->start, "start"},
                 {header.end, &r->end, "end"}};
  for (auto& n : numbers) {
    *n.out = -1;
    if (n.index < 0) continue;
    if (!ParseNumber(fields[n.index], n.out)) {
      *error = std::string("a line whose ") + n.name + " is not a number";
      return false;
    }
  }
  return true;
}

}  // namespace cordon::hunt
