#include "cli/lock_flags.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

TEST(LockFlags, NoDurationNoLock) {
  auto lock = ParseLockFlags(LockFlags{});
  ASSERT_TRUE(lock);
  EXPECT_FALSE(lock->enabled());
}

TEST(LockFlags, DaysModeAndCoolOff) {
  auto lock = ParseLockFlags(LockFlags{"30d", "compliance", "48h"});
  ASSERT_TRUE(lock) << lock.error().message;
  EXPECT_EQ(lock->days, 30);
  EXPECT_TRUE(lock->compliance);
  EXPECT_EQ(lock->cool_off_hours, 48);
  auto governance = ParseLockFlags(LockFlags{"7d", "governance", "24h"});
  ASSERT_TRUE(governance);
  EXPECT_FALSE(governance->compliance);
}

TEST(LockFlags, EbsLocksByTheDayAndCoolsOffUpTo72Hours) {
  for (const LockFlags& f : {LockFlags{"12h"}, LockFlags{"36h"}, LockFlags{"36501d"},
                             LockFlags{"30d", "compliance", "73h"}, LockFlags{"30d", "compliance", "90m"}}) {
    auto lock = ParseLockFlags(f);
    ASSERT_FALSE(lock) << f.duration << " " << f.cool_off;
    EXPECT_EQ(lock.error().kind, ErrorKind::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cordon::cli
