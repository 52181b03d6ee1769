// libFuzzer target for the GuardDuty and AWS Config readers: any bytes, read as either. Beyond "no
// crash", every finding kept names a selector that is in the input, reading is deterministic, and a
// file the readers cannot parse is reported as skipped, never dropped.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "fuzz_selectors.h"
#include "hunt/byte_buffer.h"
#include "hunt/findings_reader.h"

namespace {

template <typename Reader>
void CheckReader(Reader& reader, std::string_view input) {
  cordon::hunt::HuntResults first, second;
  reader.Scan("fuzz", input, &first);
  reader.Scan("fuzz", input, &second);
  CORDON_FUZZ_CHECK(first.findings.size() == second.findings.size());
  CORDON_FUZZ_CHECK(first.skipped.size() == second.skipped.size());
  for (const cordon::hunt::Finding& f : first.findings) {
    CORDON_FUZZ_CHECK(!f.selectors.empty());
    for (const std::string& selector : f.selectors) CORDON_FUZZ_CHECK(input.find(selector) != input.npos);
  }
  for (const cordon::hunt::Skipped& s : first.skipped) CORDON_FUZZ_CHECK(!s.reason.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cordon::hunt::Selectors selectors = FuzzSelectors();
  static cordon::hunt::GuardDutyReader guardduty(selectors);
  static cordon::hunt::ConfigReader config(selectors);
  cordon::hunt::ByteBuffer buffer;  // the readers read up to kReadPadding past the end
  buffer.Append(std::string_view(reinterpret_cast<const char*>(data), size));
  buffer.SetSize(buffer.size());
  CheckReader(guardduty, buffer.view());
  CheckReader(config, buffer.view());
  return 0;
}
