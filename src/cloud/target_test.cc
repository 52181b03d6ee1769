#include "cloud/target.h"

#include <gtest/gtest.h>

namespace cordon::cloud {
namespace {

TEST(ClassifyTarget, InstanceIds) {
  EXPECT_EQ(*ClassifyTarget("i-0123456789abcdef0"), TargetKind::kInstanceId);
  EXPECT_EQ(*ClassifyTarget("i-1234abcd"), TargetKind::kInstanceId);
}

TEST(ClassifyTarget, EniIds) { EXPECT_EQ(*ClassifyTarget("eni-0123456789abcdef0"), TargetKind::kEniId); }

TEST(ClassifyTarget, Addresses) {
  EXPECT_EQ(*ClassifyTarget("10.0.3.8"), TargetKind::kIpAddress);
  EXPECT_EQ(*ClassifyTarget("54.1.2.3"), TargetKind::kIpAddress);
  EXPECT_EQ(*ClassifyTarget("2600:1f18::1"), TargetKind::kIpAddress);
}

TEST(ClassifyTarget, RejectsEverythingElse) {
  for (const char* bad : {"", "i-", "i-xyz", "i-0123456789abcdef", "eni-12", "10.0.0", "10.0.0.256", "web-1",
                          "sg-0123456789abcdef0"}) {
    auto k = ClassifyTarget(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_EQ(k.error().kind, ErrorKind::kInvalidArgument);
  }
}

TEST(ResolvedTarget, TerminatedIsFlagged) {
  ResolvedTarget t;
  t.state = "terminated";
  EXPECT_TRUE(t.terminated());
  t.state = "stopped";
  EXPECT_FALSE(t.terminated());
}

}  // namespace
}  // namespace cordon::cloud
