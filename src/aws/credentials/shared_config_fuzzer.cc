// libFuzzer target for the shared config parser: any input either parses or fails with a
// kInvalidArgument that names a line, and parsing is deterministic.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/credentials/ini_file.h"
#include "aws/credentials/shared_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = cordon::aws::ParseIni(text, "fuzz");
  auto second = cordon::aws::ParseIni(text, "fuzz");
  assert(first.has_value() == second.has_value());
  if (first) {
    assert(first->size() == second->size());
    for (size_t i = 0; i < first->size(); ++i) {
      assert((*first)[i].name == (*second)[i].name);
      assert((*first)[i].values.size() == (*second)[i].values.size());
    }
  } else {
    assert(first.error().kind == cordon::ErrorKind::kInvalidArgument);
    assert(first.error().message.find("fuzz line ") == 0);
  }
  auto config = cordon::aws::ParseSharedConfig(text, "config", text, "credentials");
  assert(config.has_value() == first.has_value());
  return 0;
}
