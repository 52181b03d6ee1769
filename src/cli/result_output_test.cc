#include "cli/result_output.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

// The expected texts are what awscli/text.py's format_text writes for the same data (awscli 1.45).
TEST(AwsText, MatchesTheAwsCliTextFormat) {
  const Json nested = Json::parse(
      R"({"b": 1, "a": "x", "l": [{"k": "v", "n": 2}, {"k": "w"}], "s": ["p", "q"], "t": true, "z": null})");
  EXPECT_EQ(AwsText(nested), "x\t1\tTrue\tNone\nL\tv\t2\nL\tw\t\nS\tp\nS\tq\n");
  EXPECT_EQ(AwsText(Json::parse(R"([["a", "b"], ["c"]])")), "a\tb\nc\n");
  EXPECT_EQ(AwsText(Json("scalar")), "scalar\n");
  EXPECT_EQ(AwsText(Json::parse("[1, 2, 3]")), "1\t2\t3\n");
}

TEST(AwsTable, BoxesRowsUnderATitle) {
  const std::string table =
      AwsTable(Json::parse(R"([{"id": "vol-1", "size": 8}, {"id": "vol-22"}])"), "cordon");
  EXPECT_EQ(table,
            "-----------------\n"
            "|    cordon     |\n"
            "+--------+------+\n"
            "| id     | size |\n"
            "+--------+------+\n"
            "| vol-1  | 8    |\n"
            "| vol-22 |      |\n"
            "+--------+------+\n");
}

TEST(ResultFlags, ABadQueryIsRefusedUpFront) {
  ResultFlags flags;
  flags.query = "plans[";
  EXPECT_FALSE(CheckResultFlags(flags));
  flags.query = "plans[0].steps[].step";
  EXPECT_TRUE(CheckResultFlags(flags));
}

}  // namespace
}  // namespace cordon::cli
