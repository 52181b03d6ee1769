#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <vector>

namespace cordon {
namespace {

// Tracks how many calls are inside a region at once, and the most ever seen.
struct ConcurrencyProbe {
  std::atomic<int> now{0};
  std::atomic<int> peak{0};
  void Enter() {
    int n = ++now;
    int p = peak.load();
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
  }
  void Leave() { --now; }
};

TEST(ThreadPoolTest, RunsEveryTaskAndWaitReturnsAfterThem) {
  ThreadPool pool(4);
  EXPECT_EQ(pool.size(), 4u);
  std::atomic<int> done{0};
  for (int i = 0; i < 1000; ++i) pool.Submit([&] { ++done; });
  pool.Wait();
  EXPECT_EQ(done.load(), 1000);
  // The pool is reusable after Wait().
  for (int i = 0; i < 10; ++i) pool.Submit([&] { ++done; });
  pool.Wait();
  EXPECT_EQ(done.load(), 1010);
}

TEST(ThreadPoolTest, NeverRunsMoreTasksThanWorkers) {
  ConcurrencyProbe probe;
  {
    ThreadPool pool(3);
    for (int i = 0; i < 60; ++i) {
      pool.Submit([&] {
        probe.Enter();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        probe.Leave();
      });
    }
  }
  EXPECT_LE(probe.peak.load(), 3);
  EXPECT_GE(probe.peak.load(), 2);  // and does run them in parallel
}

TEST(ThreadPoolTest, DestructorRunsQueuedTasks) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 50; ++i) pool.Submit([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 50);
}

TEST(ThreadPoolTest, ZeroWorkersMeansOne) {
  ThreadPool pool(0);
  EXPECT_EQ(pool.size(), 1u);
  bool ran = false;
  pool.Submit([&] { ran = true; });
  pool.Wait();
  EXPECT_TRUE(ran);
}

TEST(ThreadPoolTest, BoundedQueueBlocksSubmitUntilThereIsRoom) {
  ThreadPool pool(1, /*max_queue=*/2);
  std::mutex gate;
  gate.lock();  // holds the only worker inside the first task
  std::atomic<int> done{0};
  std::atomic<bool> started{false};
  pool.Submit([&] {
    started = true;
    std::lock_guard<std::mutex> hold(gate);
    ++done;
  });
  // Once the worker has taken the first task, the queue is empty.
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<int> submitted{0};
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) {
      pool.Submit([&] { ++done; });
      ++submitted;
    }
  });
  // Two fit in the queue; the third Submit blocks for as long as the worker is held.
  while (submitted.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(submitted.load(), 2);
  gate.unlock();
  producer.join();
  pool.Wait();
  EXPECT_EQ(done.load(), 6);
}

TEST(ThreadPoolTest, TasksMaySubmitTasks) {
  ThreadPool pool(2);
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    pool.Submit([&] {
      pool.Submit([&] { ++done; });
      ++done;
    });
  }
  pool.Wait();
  EXPECT_EQ(done.load(), 20);
}

TEST(ParallelForTest, CallsEveryIndexOnceWithinConcurrency) {
  constexpr size_t kN = 500;
  std::vector<std::atomic<int>> calls(kN);
  ConcurrencyProbe probe;
  ParallelFor(kN, 4, [&](size_t i) {
    probe.Enter();
    ++calls[i];
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    probe.Leave();
  });
  for (size_t i = 0; i < kN; ++i) ASSERT_EQ(calls[i].load(), 1) << i;
  EXPECT_LE(probe.peak.load(), 4);
}

TEST(ParallelForTest, EdgeCases) {
  int calls = 0;
  ParallelFor(0, 8, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  std::set<size_t> seen;
  ParallelFor(3, 0, [&](size_t i) { seen.insert(i); });  // concurrency 0: runs on the caller alone
  EXPECT_EQ(seen, (std::set<size_t>{0, 1, 2}));
}

// Regression (issue 10): nested fan-outs (targets x steps x regions) multiplied their threads: 8 x 8 x 8
// here started 511 helper threads. Now they share one budget, every index still runs exactly once, and
// no nesting depth can deadlock (each caller works through its own indexes when no helper is left).
TEST(ParallelForTest, NestedCallsShareOneBudgetOfThreads) {
  constexpr size_t kBudget = 6;
  SetParallelForBudget(kBudget);
  ConcurrencyProbe probe;
  std::atomic<int> calls{0};
  ParallelFor(8, 8, [&](size_t) {
    ParallelFor(8, 8, [&](size_t) {
      ParallelFor(8, 8, [&](size_t) {
        probe.Enter();
        ++calls;
        std::this_thread::sleep_for(std::chrono::microseconds(300));
        probe.Leave();
      });
    });
  });
  SetParallelForBudget(kDefaultHelperBudget);
  EXPECT_EQ(calls.load(), 512);
  // The calling thread plus at most the budget's helpers are ever inside the innermost body.
  EXPECT_LE(probe.peak.load(), static_cast<int>(kBudget) + 1);
  EXPECT_GE(probe.peak.load(), 2);  // and the budget is used, not left idle
}

}  // namespace
}  // namespace cordon
