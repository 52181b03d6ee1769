#include "base/strings.h"

#include <gtest/gtest.h>

namespace cordon {

TEST(StringsTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
}

TEST(StringsTest, JoinPutsTheSeparatorBetweenPartsOnly) {
  EXPECT_EQ(Join({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(Join({"", "b"}, "; "), "; b");  // an empty first part still gets its separator
  EXPECT_EQ(Join({"x"}, " or "), "x");
  EXPECT_EQ(Join({}), "");
}

TEST(StringsTest, ClosestMatchesSuggestsNearNames) {
  std::vector<std::string> ops = {"DescribeInstances", "DescribeImages", "CreateTags", "DeleteTags"};
  auto m = ClosestMatches("DescribeInstance", ops);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0], "DescribeInstances");
  EXPECT_TRUE(ClosestMatches("Zzzzzzzzzzzzzzzz", ops).empty());
}

}  // namespace cordon
