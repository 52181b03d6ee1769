// A bounded pool of worker threads, and ParallelFor over an index range.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon {

// A fixed number of worker threads running submitted tasks in submission order (each task starts in
// order; with more than one worker they may finish in any order).
//
// Tasks must not throw: cordon is built on error values, and an exception escaping a task ends the
// process. A task reports its outcome through state it captured.
//
// Thread safety: Submit() and Wait() may be called from any thread, including from inside a task
// (but a task that calls Wait() waits for itself and never returns, and a task that calls Submit()
// on a full queue may wait forever; see max_queue).
class ThreadPool {
 public:
  // Starts `workers` threads (at least one). With `max_queue` > 0, Submit() blocks while that many
  // tasks are waiting to start, which bounds the memory a fast producer can pin; 0 means unbounded.
  explicit ThreadPool(size_t workers, size_t max_queue = 0);
  // Runs every task already submitted, then joins the workers.
  ~ThreadPool();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Submit(std::function<void()> task);
  // Blocks until every task submitted before the call (and any they submitted) has finished.
  void Wait();

  size_t size() const { return workers_.size(); }

 private:
  void WorkerLoop();

  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable work_ready_;  // a task was queued, or stopping_ was set
  std::condition_variable queue_room_;  // a task left the queue
  std::condition_variable idle_;        // queue_ is empty and no task is running
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;  // tasks taken from queue_ and not yet finished
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// Calls fn(i) for every i in [0, n), on at most `concurrency` threads at once (the calling thread is
// one of them), and returns when all calls have finished. Indexes are handed out in increasing order.
// concurrency 0 is treated as 1. fn must be safe to call concurrently and must not throw.
//
// The helper threads come from one process-wide budget (kDefaultHelperBudget): a ParallelFor nested
// inside another (targets x steps x regions x calls) gets only what is left, down to none, when it
// runs on the calling thread alone. So the process never starts more than the budget's threads
// however deep the nesting, and never deadlocks waiting for a thread, since every caller works too.
void ParallelFor(size_t n, size_t concurrency, const std::function<void(size_t)>& fn);

inline constexpr size_t kDefaultHelperBudget = 32;
// Sets the budget of helper threads all ParallelFor calls share (for tests; not while one runs).
void SetParallelForBudget(size_t helpers);

}  // namespace cordon
