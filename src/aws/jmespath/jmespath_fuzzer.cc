// libFuzzer target: any text either fails to compile or compiles and evaluates without crashing, on
// a fixed document and on the input itself read as JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/jmespath/jmespath.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using cordon::Json;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expression = cordon::jmespath::Compile(text);
  if (!expression) return 0;
  static const Json kDocument = Json::parse(R"({
    "Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}, "Tags": []}]}],
    "a": [1, 2.5, "x", null, true, [3, [4]], {"b": {"c": [5]}}], "s": "h\u00e9llo", "n": -7, "o": {}
  })");
  (void)cordon::jmespath::TryEvaluate(*expression, kDocument);
  Json self = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!self.is_discarded()) (void)cordon::jmespath::TryEvaluate(*expression, self);
  return 0;
}
