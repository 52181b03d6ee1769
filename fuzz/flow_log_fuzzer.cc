// libFuzzer target for the flow log line parser and reader: the first line of the input is the header,
// the rest are records. Checks that the reader gives the same aggregates whole and fed in small pieces
// (the streaming path), and that every matched record is counted exactly once; and, with a line cap
// small enough for fuzzed lines to cross it, that whole and streamed scans skip the same lines.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hunt/flow_log.h"
#include "hunt/flow_log_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The line parser on its own.
  const size_t nl = input.find('\n');
  const cordon::hunt::FlowHeader header = cordon::hunt::ParseFlowHeader(input.substr(0, nl));
  if (nl != std::string_view::npos) {
    std::string_view rest = input.substr(nl + 1);
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      cordon::hunt::FlowRecord record;
      std::string error;
      if (!cordon::hunt::ParseFlowRecord(header, rest.substr(0, end), &record, &error) && error.empty())
        std::abort();
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }

  static const cordon::hunt::Selectors selectors = [] {
    cordon::hunt::Selectors s;
    s.ips = {"10.0.3.8", "2001:db8::1"};
    s.enis = {"eni-1"};
    s.instances = {"i-1"};
    return s;
  }();
  cordon::hunt::FlowLogReader reader(selectors);
  cordon::hunt::HuntResults whole, pieces;
  reader.Scan("fuzz", input, &whole);
  reader.Begin("fuzz", &pieces);
  const size_t step = size % 13 + 1;
  for (size_t i = 0; i < input.size(); i += step) reader.Feed(input.substr(i, step));
  reader.Finish();
  uint64_t flows = 0;
  for (const auto& [key, agg] : whole.flows) flows += agg.flows;
  if (flows != whole.flow_matched_records) std::abort();
  if (whole.flow_matched_records != pieces.flow_matched_records ||
      whole.flows.size() != pieces.flows.size()) {
    std::abort();
  }

  // Issue 16: lines over the cap are skipped, never held, in both paths alike.
  cordon::hunt::FlowLogReader capped(selectors, 48);
  cordon::hunt::HuntResults capped_whole, capped_pieces;
  capped.Scan("fuzz", input, &capped_whole);
  capped.Begin("fuzz", &capped_pieces);
  for (size_t i = 0; i < input.size(); i += step) capped.Feed(input.substr(i, step));
  capped.Finish();
  if (capped_whole.flow_matched_records != capped_pieces.flow_matched_records ||
      capped_whole.flows.size() != capped_pieces.flows.size() ||
      capped_whole.flow_matched_records > whole.flow_matched_records) {
    std::abort();
  }
  return 0;
}
