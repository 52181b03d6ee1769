#include "cli/output.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon::cli {
namespace {

TEST(PrintJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  // A tag or a log field with a byte that is not UTF-8: nlohmann's default dump throws type_error 316.
  const Json doc = {{"tag", std::string("web\xff")}};
  testing::internal::CaptureStdout();
  PrintJson(doc);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "{\n  \"tag\": \"web\xef\xbf\xbd\"\n}\n");
}

TEST(PrintError, IndentsEveryLineAfterTheFirst) {
  // A newline in a quoted value cannot start a line that passes for a message of cordon's own.
  testing::internal::CaptureStderr();
  PrintError("no instance named 'web\ncordon: contained i-0abc'");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "cordon: error: no instance named 'web\n  cordon: contained i-0abc'\n");
}

}  // namespace
}  // namespace cordon::cli
