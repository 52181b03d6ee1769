// VPC flow log text format: the header line, record lines, and the fields the hunt uses.
// Format reference: AWS VPC User Guide, "Flow log records" (flow-logs.md); S3-delivered text files start
// with a header line naming the fields in order, separated by spaces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt {

// Where each field the hunt uses sits in a record, from a file's header line; -1 when absent.
struct FlowHeader {
  size_t field_count = 0;
  int srcaddr = -1, dstaddr = -1, pkt_srcaddr = -1, pkt_dstaddr = -1;
  int srcport = -1, dstport = -1, protocol = -1, packets = -1, bytes = -1;
  int start = -1, end = -1, action = -1, log_status = -1;
  int interface_id = -1, instance_id = -1, flow_direction = -1;
  std::vector<std::string> unknown_fields;  // names not in the AWS field list (ignored, but reported)
};

// The default (version 2) format, for files with no header line.
inline constexpr std::string_view kDefaultFlowHeader =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status";

// True when `line` looks like a header (its first field is a name, not a number).
bool LooksLikeFlowHeader(std::string_view line);
FlowHeader ParseFlowHeader(std::string_view line);

// Splits on runs of spaces and tabs (the AWS docs' own examples contain a doubled space). Writes at most
// max_fields views into fields and returns the true count.
size_t SplitFlowFields(std::string_view line, std::string_view* fields, size_t max_fields);

// One record's fields, as views into the line. Numbers are -1 when the field is absent or "-".
struct FlowRecord {
  std::string_view srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr;
  std::string_view action, log_status, interface_id, instance_id, flow_direction;
  int64_t srcport = -1, dstport = -1, protocol = -1, packets = -1, bytes = -1, start = -1, end = -1;
};

// Parses a record line against its header. On a bad line (field count differs from the header, or a
// numeric field is neither a number nor "-") returns false and says why in *error.
bool ParseFlowRecord(const FlowHeader& header, std::string_view line, FlowRecord* record, std::string* error);

}  // namespace cordon::hunt
