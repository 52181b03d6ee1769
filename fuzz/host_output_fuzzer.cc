// libFuzzer target for ParseHostOutput, the reader of what the compromised host prints back after a
// memory capture: the most hostile input cordon reads. An evidence line it accepts must carry a real
// SHA-256 and size, so that a tampered or truncated output can never pass as a hash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/strings.h"
#include "fuzz_check.h"
#include "response/memory/memory_capture_script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cordon;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto out = response::ParseHostOutput(text);
  auto again = response::ParseHostOutput(text);
  CORDON_FUZZ_CHECK(out.has_value() == again.has_value());
  if (!out) {
    CORDON_FUZZ_CHECK(out.error().kind == ErrorKind::kParse);
    return 0;
  }
  CORDON_FUZZ_CHECK(out->evidence.size() == again->evidence.size());
  if (out->done) CORDON_FUZZ_CHECK(text.find("CORDON-DONE") != text.npos);
  for (const auto& [name, evidence] : out->evidence) {
    CORDON_FUZZ_CHECK(name == evidence.name);
    CORDON_FUZZ_CHECK(evidence.sha256.size() == 64);
    CORDON_FUZZ_CHECK(evidence.sha256.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos);
    CORDON_FUZZ_CHECK(evidence.size >= 0);
    CORDON_FUZZ_CHECK(text.find(evidence.sha256) != text.npos);
  }
  return 0;
}
