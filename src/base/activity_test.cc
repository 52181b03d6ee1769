#include "base/activity.h"

#include <gtest/gtest.h>

namespace cordon {
namespace {

TEST(Activity, TheOldestOpenScopeIsReported) {
  EXPECT_FALSE(OldestActivity());
  {
    ActivityScope outer("cloudformation StackCreateComplete");
    {
      ActivityScope inner("cloudformation DescribeStacks");
      auto now = OldestActivity();
      ASSERT_TRUE(now);
      EXPECT_EQ(now->what, "cloudformation StackCreateComplete");
    }
    EXPECT_EQ(OldestActivity()->what, "cloudformation StackCreateComplete");
  }
  EXPECT_FALSE(OldestActivity());
}

TEST(Activity, EachScopeHasItsOwnId) {
  uint64_t first = 0;
  {
    ActivityScope a("ec2 DescribeInstances");
    first = OldestActivity()->id;
  }
  ActivityScope b("ec2 DescribeInstances");
  EXPECT_NE(OldestActivity()->id, first);
}

}  // namespace
}  // namespace cordon
