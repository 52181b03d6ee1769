#include "automation/keyed_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace cordon::automation {
namespace {

TEST(KeyedMutex, OneHolderPerKeyAndKeysAreIndependent) {
  KeyedMutex mu;
  std::atomic<int> in_a{0}, max_a{0}, in_b{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      KeyedLock lock(&mu, i % 2 ? "i-a" : "i-b");
      std::atomic<int>& in = i % 2 ? in_a : in_b;
      int now = ++in;
      if (i % 2) max_a = std::max(max_a.load(), now);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --in;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(max_a.load(), 1);
  // Both keys free again: taking them does not block.
  KeyedLock a(&mu, "i-a"), b(&mu, "i-b");
}

}  // namespace
}  // namespace cordon::automation
