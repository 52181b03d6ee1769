// Reads VPC flow log objects and aggregates the records of the selected instance per peer.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hunt/flow_log.h"
#include "hunt/results.h"
#include "hunt/selectors.h"
#include "hunt/token_matcher.h"

namespace cordon::hunt {

// Scans one flow log object, given whole (Scan) or in pieces (Begin, Feed..., Finish) so a large object
// can be streamed with bounded memory. The first line is the header; the fields are taken from it, in any
// subset and order. A file without a header is read as the default format, with a warning.
//
// A record matches when an --ip is its srcaddr, dstaddr, pkt-srcaddr or pkt-dstaddr, an --eni is its
// interface-id, or an --instance is its instance-id (and, with --since/--until, [start, end] overlaps the
// window). Only lines where the prefilter finds a selector are split and parsed; a malformed line among
// them (wrong field count, a non-numeric number) is counted in results->skipped, once per file and reason.
// Records with log-status NODATA or SKIPDATA carry no traffic: they are counted apart. A line longer
// than max_line_bytes is skipped and reported the same way, and never held whole: a streamed object of
// one endless line costs max_line_bytes, not its size.
//
// Each matched record is added to exactly one aggregate (see FlowKey): seen from the instance, a record
// whose source is an --ip is egress to the destination; one whose destination is an --ip is ingress from
// the source; pkt-srcaddr/pkt-dstaddr, when present, name the peer (the real remote behind a NAT gateway).
// A record matched only by ENI or instance id takes its direction from flow-direction when the format has
// it, else "unknown" with the peer written "src->dst". The port is the record's dstport.
// Not thread-safe: one reader per worker.
class FlowLogReader {
 public:
  explicit FlowLogReader(const Selectors& selectors, size_t max_line_bytes = kDefaultMaxLineBytes);
  static constexpr size_t kDefaultMaxLineBytes = 64u << 10;

  void Begin(std::string_view file, HuntResults* results);
  void Feed(std::string_view piece);
  void Finish();
  void Scan(std::string_view file, std::string_view text, HuntResults* results) {
    Begin(file, results);
    Feed(text);
    Finish();
  }

 private:
  void ProcessBlock(std::string_view block);  // whole lines, the last one possibly unterminated
  void ProcessHeader(std::string_view line);
  void ProcessLine(std::string_view line);
  void CountBadLine(const std::string& reason);
  // Carries the unterminated end of a piece to the next one, unless the line is already too long.
  void Carry(std::string_view tail);
  // The carried line is complete: processes it, or counts it as too long.
  void FinishCarried();
  bool IsOwnIp(std::string_view address) const;

  const Selectors& selectors_;
  TokenMatcher matcher_;
  int64_t since_ = -1;  // epoch seconds, -1 when open
  int64_t until_ = -1;

  std::string file_;
  HuntResults* results_ = nullptr;
  bool have_header_ = false;
  FlowHeader header_;
  const size_t max_line_bytes_;
  std::string carry_;           // an incomplete last line between pieces
  uint64_t pending_bytes_ = 0;  // bytes of the carried line so far, dropped ones included
  bool overlong_ = false;       // the carried line is over max_line_bytes_: its bytes are dropped
  uint64_t offset_ = 0;         // bytes of the object consumed before the current block
  std::map<std::string, std::pair<uint64_t, uint64_t>> bad_lines_;  // reason -> (count, first byte offset)
};

}  // namespace cordon::hunt
