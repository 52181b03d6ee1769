// libFuzzer target for the CloudTrail reader: any bytes, in any of the shapes it detects. Beyond "no crash,
// no sanitizer report", it checks that scanning is deterministic and that every event it keeps does
// involve a selector (the exact rule held).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_selectors.h"
#include "hunt/byte_buffer.h"
#include "hunt/cloudtrail_reader.h"
#include "hunt/token_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cordon::hunt::Selectors selectors = FuzzSelectors();
  cordon::hunt::CloudTrailOptions options;
  options.max_record_bytes = 1 << 16;
  static cordon::hunt::CloudTrailReader reader(selectors, options);
  cordon::hunt::ByteBuffer buffer;
  buffer.Append(std::string_view(reinterpret_cast<const char*>(data), size));
  buffer.SetSize(buffer.size());

  cordon::hunt::HuntResults first, second;
  reader.Scan("fuzz", buffer.view(), &first);
  reader.Scan("fuzz", buffer.view(), &second);
  if (first.events.size() != second.events.size() || first.skipped.size() != second.skipped.size())
    std::abort();
  for (const cordon::hunt::CloudTrailEvent& e : first.events) {
    if (e.hits.empty()) std::abort();
    for (const cordon::hunt::SelectorHit& hit : e.hits) {
      // Every hit names a selector that the prefilter finds in the input.
      if (!cordon::hunt::TokenMatcher::ContainsToken(buffer.view(), hit.selector) &&
          hit.field != "userIdentity.sessionIssuer") {
        std::abort();
      }
    }
  }
  return 0;
}
