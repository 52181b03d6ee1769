#include "hunt/flow_log_reader.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace cordon::hunt {
namespace {

bool Present(std::string_view field) { return !field.empty() && field != "-"; }

// The selectors a record of this format can match: IPs only when it has an address field, ENIs only with
// interface-id, instances only with instance-id; roles and access keys never (no flow field holds them).
// Scanning for a token the format cannot hold would only cost a pass over the text: the default format
// has no instance-id, so a hunt by instance and IP would scan every object twice for nothing.
std::vector<std::string> TokensFor(const Selectors& selectors, const FlowHeader& header) {
  std::vector<std::string> tokens;
  auto add = [&](const std::vector<std::string>& list) {
    tokens.insert(tokens.end(), list.begin(), list.end());
  };
  if (header.srcaddr >= 0 || header.dstaddr >= 0 || header.pkt_srcaddr >= 0 || header.pkt_dstaddr >= 0)
    add(selectors.ips);
  if (header.interface_id >= 0) add(selectors.enis);
  if (header.instance_id >= 0) add(selectors.instances);
  return tokens;
}

}  // namespace

FlowLogReader::FlowLogReader(const Selectors& selectors, size_t max_line_bytes)
    : selectors_(selectors), matcher_({}), max_line_bytes_(max_line_bytes) {
  using std::chrono::seconds;
  if (selectors.since)
    since_ = std::chrono::duration_cast<seconds>(selectors.since->time_since_epoch()).count();
  if (selectors.until)
    until_ = std::chrono::duration_cast<seconds>(selectors.until->time_since_epoch()).count();
}

void FlowLogReader::Begin(std::string_view file, HuntResults* results) {
  file_ = std::string(file);
  results_ = results;
  have_header_ = false;
  header_ = FlowHeader{};
  carry_.clear();
  overlong_ = false;
  pending_bytes_ = 0;
  offset_ = 0;
  bad_lines_.clear();
}

namespace {
std::string LongLineReason(size_t max) { return "line over " + std::to_string(max) + " bytes"; }
}  // namespace

void FlowLogReader::CountBadLine(const std::string& reason) {
  auto [it, inserted] = bad_lines_.try_emplace(reason, 0, offset_);
  ++it->second.first;
}

void FlowLogReader::Carry(std::string_view tail) {
  pending_bytes_ += tail.size();
  if (overlong_) return;
  if (carry_.size() + tail.size() > max_line_bytes_) {
    overlong_ = true;
    carry_.clear();
    carry_.shrink_to_fit();
    return;
  }
  carry_.append(tail);
}

void FlowLogReader::FinishCarried() {
  if (overlong_) {
    CountBadLine(LongLineReason(max_line_bytes_));  // offset_ is where the line began
  } else {
    const std::string line = std::move(carry_);
    ProcessBlock(line);
  }
  offset_ += pending_bytes_ + 1;
  carry_.clear();
  overlong_ = false;
  pending_bytes_ = 0;
}

void FlowLogReader::Feed(std::string_view piece) {
  if (pending_bytes_ > 0) {  // a line goes on from the last piece
    const size_t nl = piece.find('\n');
    Carry(piece.substr(0, nl));
    if (nl == std::string_view::npos) return;
    FinishCarried();
    piece.remove_prefix(nl + 1);
  }
  const size_t last_nl = piece.rfind('\n');
  if (last_nl == std::string_view::npos) {
    Carry(piece);
    return;
  }
  ProcessBlock(piece.substr(0, last_nl));
  offset_ += last_nl + 1;
  Carry(piece.substr(last_nl + 1));
}

void FlowLogReader::Finish() {
  if (pending_bytes_ > 0) FinishCarried();
  for (const auto& [reason, count_and_offset] : bad_lines_) {
    results_->skipped.push_back(
        Skipped{file_, "line", count_and_offset.first,
                reason + " (first at byte " + std::to_string(count_and_offset.second) + ")"});
  }
}

void FlowLogReader::ProcessHeader(std::string_view line) {
  have_header_ = true;
  const bool has_header = LooksLikeFlowHeader(line);
  header_ = ParseFlowHeader(has_header ? line : kDefaultFlowHeader);
  matcher_ = TokenMatcher(TokensFor(selectors_, header_));
  if (has_header) {
    for (const std::string& name : header_.unknown_fields) {
      results_->warnings.push_back({file_, "unknown flow log field '" + name + "' in the header (ignored)"});
    }
    return;
  }
  results_->warnings.push_back({file_, "no header line; read as the default (version 2) format"});
  ProcessLine(line);
}

void FlowLogReader::ProcessBlock(std::string_view block) {
  if (!have_header_) {
    // The header is the first non-empty line.
    size_t pos = 0;
    while (pos < block.size()) {
      size_t nl = block.find('\n', pos);
      if (nl == std::string_view::npos) nl = block.size();
      std::string_view line = block.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (line.size() > max_line_bytes_) {
        const uint64_t saved = offset_;
        offset_ += static_cast<uint64_t>(line.data() - block.data());
        CountBadLine(LongLineReason(max_line_bytes_));
        offset_ = saved;
        continue;
      }
      ProcessHeader(line);
      break;
    }
    if (pos >= block.size()) return;
    offset_ += pos;
    block.remove_prefix(pos);
    ProcessBlock(block);
    offset_ -= pos;  // Feed() adds the block's full length afterwards
    return;
  }
  size_t done_until = 0;
  for (const TokenMatcher::Hit& hit : matcher_.FindAll(block)) {
    if (hit.offset < done_until) continue;
    size_t begin = hit.offset == 0 ? std::string_view::npos : block.rfind('\n', hit.offset - 1);
    begin = begin == std::string_view::npos ? 0 : begin + 1;
    size_t end = block.find('\n', hit.offset);
    if (end == std::string_view::npos) end = block.size();
    done_until = end;
    const uint64_t saved = offset_;
    offset_ += begin;  // so ProcessLine can report where a bad line is
    ProcessLine(block.substr(begin, end - begin));
    offset_ = saved;
  }
}

bool FlowLogReader::IsOwnIp(std::string_view address) const {
  return Present(address) && selectors_.IsOwnIp(address);
}

void FlowLogReader::ProcessLine(std::string_view line) {
  ++results_->flow_lines_parsed;
  if (line.size() > max_line_bytes_) return CountBadLine(LongLineReason(max_line_bytes_));
  FlowRecord r;
  std::string error;
  if (!ParseFlowRecord(header_, line, &r, &error)) return CountBadLine(error);
  const bool src_own = IsOwnIp(r.srcaddr) || IsOwnIp(r.pkt_srcaddr);
  const bool dst_own = IsOwnIp(r.dstaddr) || IsOwnIp(r.pkt_dstaddr);
  const bool eni = Present(r.interface_id) && std::find(selectors_.enis.begin(), selectors_.enis.end(),
                                                        r.interface_id) != selectors_.enis.end();
  const bool instance = Present(r.instance_id) &&
                        std::find(selectors_.instances.begin(), selectors_.instances.end(), r.instance_id) !=
                            selectors_.instances.end();
  if (!src_own && !dst_own && !eni && !instance) return;
  if (Present(r.log_status) && r.log_status != "OK") {
    ++results_->flow_nodata_records;
    return;
  }
  if (since_ >= 0 && r.end >= 0 && r.end < since_) return;
  if (until_ >= 0 && r.start >= 0 && r.start > until_) return;

  FlowKey key;
  const std::string_view src = Present(r.pkt_srcaddr) ? r.pkt_srcaddr : r.srcaddr;
  const std::string_view dst = Present(r.pkt_dstaddr) ? r.pkt_dstaddr : r.dstaddr;
  if (src_own) {
    key.direction = "egress";
    key.peer = std::string(dst);
  } else if (dst_own) {
    key.direction = "ingress";
    key.peer = std::string(src);
  } else if (r.flow_direction == "egress" || r.flow_direction == "ingress") {
    key.direction = std::string(r.flow_direction);
    key.peer = std::string(r.flow_direction == "egress" ? dst : src);
  } else {
    key.direction = "unknown";
    key.peer = std::string(src) + "->" + std::string(dst);
  }
  key.port = static_cast<int>(r.dstport);
  key.protocol = static_cast<int>(r.protocol);
  key.action = Present(r.action) ? std::string(r.action) : std::string("-");
  FlowAggregate& agg = results_->flows[key];
  agg.bytes += r.bytes > 0 ? static_cast<uint64_t>(r.bytes) : 0;
  agg.packets += r.packets > 0 ? static_cast<uint64_t>(r.packets) : 0;
  agg.flows += 1;
  if (r.start >= 0) agg.first = std::min(agg.first, r.start);
  if (r.end >= 0) agg.last = std::max(agg.last, r.end);
  ++results_->flow_matched_records;
}

}  // namespace cordon::hunt
