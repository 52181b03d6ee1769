// libFuzzer target for the hunt's object scanner under a memory budget (issue 16): any bytes, plain or
// gzip, as each kind of log, scanned with a budget so small that most inputs hit it and with one that
// never binds. Invariants: nothing crashes or waits (a scanner given bytes never waits for room); an
// object is either scanned or skipped with a reason; and when the tight scan skipped nothing, it found
// exactly what the unbounded one found.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "fuzz_selectors.h"
#include "hunt/scanner.h"

namespace {

cordon::hunt::HuntResults ScanWith(cordon::hunt::LogKind kind, std::string_view input, size_t budget) {
  cordon::hunt::ScanOptions options;
  options.memory_budget = budget;
  options.stream_chunk = 512;
  options.max_line_bytes = 128;
  options.cloudtrail.max_record_bytes = 1024;
  static const cordon::hunt::Selectors selectors = FuzzSelectors();
  cordon::hunt::ObjectScanner scanner(selectors, options);
  cordon::hunt::HuntResults results;
  std::string stored(input);
  scanner.Scan(kind, "fuzz", &stored, &results);
  CORDON_FUZZ_CHECK(stored == input);  // Scan may write padding past the end, never into the bytes
  CORDON_FUZZ_CHECK(results.objects == 1);
  CORDON_FUZZ_CHECK(results.objects_skipped <= 1);
  for (const cordon::hunt::Skipped& s : results.skipped) CORDON_FUZZ_CHECK(!s.reason.empty());
  return results;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using cordon::hunt::LogKind;
  if (size == 0) return 0;
  const LogKind kind = static_cast<LogKind>(data[0] % 4);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const cordon::hunt::HuntResults tight = ScanWith(kind, input, 16u << 10);
  const cordon::hunt::HuntResults free = ScanWith(kind, input, size_t{1} << 30);
  if (tight.skipped.empty()) {
    CORDON_FUZZ_CHECK(tight.events.size() == free.events.size());
    CORDON_FUZZ_CHECK(tight.flow_matched_records == free.flow_matched_records);
    CORDON_FUZZ_CHECK(tight.findings.size() == free.findings.size());
  }
  return 0;
}
