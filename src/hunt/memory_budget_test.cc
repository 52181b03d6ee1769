#include "hunt/memory_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cordon::hunt {
namespace {

TEST(MemoryBudget, LeasesTakeAndGiveBack) {
  MemoryBudget budget(100);
  {
    Lease a(&budget);
    ASSERT_TRUE(a.Acquire(60));
    EXPECT_EQ(budget.available(), 40u);
    Lease b(&budget);
    EXPECT_FALSE(b.TryGrow(41));  // never waits: 40 are free
    EXPECT_TRUE(b.TryGrow(40));
    EXPECT_EQ(budget.available(), 0u);
    EXPECT_TRUE(b.TryGrow(10));  // already held
    EXPECT_EQ(b.held(), 40u);
  }
  EXPECT_EQ(budget.available(), 100u);
}

TEST(MemoryBudget, RequestOverTheWholeBudgetFailsAtOnce) {
  MemoryBudget budget(100);
  Lease a(&budget);
  ASSERT_TRUE(a.Acquire(30));
  EXPECT_FALSE(a.Acquire(101));  // gives back what it held, and takes nothing
  EXPECT_EQ(a.held(), 0u);
  EXPECT_EQ(budget.available(), 100u);
}

// A worker waits only while holding nothing, and the wait ends when another gives back.
TEST(MemoryBudget, AcquireWaitsUntilAnotherLeaseIsReleased) {
  MemoryBudget budget(100);
  Lease holder(&budget);
  ASSERT_TRUE(holder.Acquire(80));
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    Lease lease(&budget);
    got = lease.Acquire(50);
  });
  while (!budget.waiting()) std::this_thread::yield();
  EXPECT_FALSE(got.load());
  holder.Release();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_FALSE(budget.waiting());
  EXPECT_EQ(budget.available(), 100u);
}

}  // namespace
}  // namespace cordon::hunt
