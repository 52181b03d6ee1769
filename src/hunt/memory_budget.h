// One memory budget shared by the hunt's workers, so that peak memory has a bound whatever the input
// (a gzip bomb, one 8 GiB line, eight huge JSON objects at once) and however many threads run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace cordon::hunt {

// A counter of bytes that workers take before they hold object bytes in memory and give back after.
// The rule that keeps it free of deadlock: a worker waits only while it holds nothing (Lease::Acquire
// with an empty lease); growing a lease that already holds bytes never waits (Lease::TryGrow), and a
// worker whose TryGrow fails gives everything back and acquires the whole amount again.
// Thread-safe.
class MemoryBudget {
 public:
  explicit MemoryBudget(size_t bytes) : total_(bytes), free_(bytes) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  size_t total() const { return total_; }
  // Bytes not held by any lease (for tests and progress).
  size_t available() const;
  // Whether a Take() is waiting: workers that keep buffers between objects give them up then.
  bool waiting() const;

  // Blocks until `bytes` are free and takes them. False at once (nothing taken) when bytes > total():
  // such a request could never be met.
  bool Take(size_t bytes);
  // Takes `bytes` if they are free now; never waits.
  bool TryTake(size_t bytes);
  void Give(size_t bytes);

 private:
  const size_t total_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  size_t free_;         // guarded by mu_
  size_t waiters_ = 0;  // guarded by mu_
};

// The bytes one worker holds for the object it is scanning; gives them back when destroyed or Released.
// Not thread-safe: one lease per worker.
class Lease {
 public:
  explicit Lease(MemoryBudget* budget) : budget_(budget) {}
  ~Lease() { Release(); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  size_t held() const { return held_; }
  // Makes the lease hold `bytes`: gives back what it held, then waits for `bytes` (see the class rule).
  // False when bytes is over the whole budget; the lease then holds nothing.
  bool Acquire(size_t bytes);
  // Makes the lease hold at least `bytes` if the difference is free now. Never waits.
  bool TryGrow(size_t bytes);
  void Release();

 private:
  MemoryBudget* budget_;
  size_t held_ = 0;
};

}  // namespace cordon::hunt
