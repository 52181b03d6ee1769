// libFuzzer target for the shared config parser: any input either parses or fails with a
// kInvalidArgument that names a line, and parsing is deterministic.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/credentials/ini_file.h"
#include "aws/credentials/shared_config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = cordon::aws::ParseIni(text, "fuzz");
  auto second = cordon::aws::ParseIni(text, "fuzz");
  CORDON_FUZZ_CHECK(first.has_value() == second.has_value());
  if (first) {
    CORDON_FUZZ_CHECK(first->size() == second->size());
    for (size_t i = 0; i < first->size(); ++i) {
      CORDON_FUZZ_CHECK((*first)[i].name == (*second)[i].name);
      CORDON_FUZZ_CHECK((*first)[i].values.size() == (*second)[i].values.size());
    }
  } else {
    CORDON_FUZZ_CHECK(first.error().kind == cordon::ErrorKind::kInvalidArgument);
    CORDON_FUZZ_CHECK(first.error().message.find("fuzz line ") == 0);
  }
  auto config = cordon::aws::ParseSharedConfig(text, "config", text, "credentials");
  CORDON_FUZZ_CHECK(config.has_value() == first.has_value());
  return 0;
}
