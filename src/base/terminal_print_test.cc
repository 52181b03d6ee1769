#include "base/terminal_print.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

namespace cordon::cli {
namespace {

std::string Printed(const char* format, const char* value) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::tmpfile(), std::fclose);
  SafePrintf(f.get(), format, value);
  std::rewind(f.get());
  std::string out;
  for (int c; (c = std::fgetc(f.get())) != EOF;) out += static_cast<char>(c);
  return out;
}

// Issue 16: a tag value planting a link, erasing the line and returning the cursor is shown, not run.
TEST(SafePrintf, NeutralizesControlsInTheFormattedText) {
  const std::string out = Printed("  %-10s|\n", "x\x1b]8;;http://evil\x07y\x1b[2K\r\xc2\x9bz");
  EXPECT_EQ(out, "  x\\x1b]8;;http://evil\\x07y\\x1b[2K\\x0d\\u009bz|\n");
}

TEST(SafePrintf, KeepsTextNewlinesTabsAndUtf8) {
  EXPECT_EQ(Printed("%s\n", "a\tb → ü"), "a\tb → ü\n");
  EXPECT_EQ(Printed("%s", ""), "");
}

}  // namespace
}  // namespace cordon::cli
