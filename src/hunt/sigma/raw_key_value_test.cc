#include "hunt/sigma/raw_key_value.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon::hunt::sigma {
namespace {

// The value after `"userAgent":` in `json`, as the index reads it.
RawKeyValue UserAgent(const std::string& json) {
  const std::string needle = "userAgent\"";
  return ReadRawKeyValue(json, json.find(needle), needle.size(), {"userAgent"});
}

// The closing quote and any backslash before it are found sixteen bytes at a time: values of every
// length around the step, with the backslash before or after the quote.
TEST(SigmaRawKeyValue, ReadsTheStringUpToItsQuoteUnlessEscaped) {
  for (size_t size = 0; size < 40; ++size) {
    const std::string value(size, 'a');
    const std::string json = R"({"userAgent":")" + value + R"(","x":"\"y"})";  // the view's bytes
    const RawKeyValue plain = UserAgent(json);
    EXPECT_EQ(plain.kind, RawKeyValue::Kind::kText) << size;
    EXPECT_EQ(plain.text, value) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string escaped = value;
      escaped[at] = '\\';
      EXPECT_EQ(UserAgent(R"({"userAgent":")" + escaped + R"("})").kind, RawKeyValue::Kind::kUnknown)
          << size << " " << at;
    }
    EXPECT_EQ(UserAgent(R"({"userAgent":")" + value).kind, RawKeyValue::Kind::kUnknown) << size;
  }
  const std::string spaced = R"({"userAgent" : "TruffleHog"})";
  EXPECT_EQ(UserAgent(spaced).text, "TruffleHog");
  EXPECT_EQ(UserAgent(R"({"userAgent":null})").kind, RawKeyValue::Kind::kNull);
  EXPECT_EQ(UserAgent(R"({"x":"userAgent"})").kind, RawKeyValue::Kind::kNotKey);
}

}  // namespace
}  // namespace cordon::hunt::sigma
