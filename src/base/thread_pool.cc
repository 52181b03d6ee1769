// A bounded pool of worker threads, and ParallelFor over an index range.
#include "base/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <utility>

namespace cordon {

ThreadPool::ThreadPool(size_t workers, size_t max_queue) : max_queue_(max_queue) {
  workers = std::max<size_t>(workers, 1);
  workers_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  // Workers drain the queue before they exit, so every submitted task runs.
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::Submit(std::function<void()> task) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (max_queue_ > 0) queue_room_.wait(lock, [&] { return queue_.size() < max_queue_; });
    queue_.push_back(std::move(task));
  }
  work_ready_.notify_one();
}

void ThreadPool::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void ThreadPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping_, and nothing left to run
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    queue_room_.notify_one();
    task();
    task = nullptr;  // destroy captured state before reporting the task done
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_.notify_all();
  }
}

namespace {

std::atomic<size_t> helper_budget{kDefaultHelperBudget};

// Takes up to `wanted` helper threads from the budget; returns how many it got.
size_t TakeHelpers(size_t wanted) {
  size_t left = helper_budget.load();
  size_t got = 0;
  do {
    got = std::min(wanted, left);
  } while (got > 0 && !helper_budget.compare_exchange_weak(left, left - got));
  return got;
}

}  // namespace

void SetParallelForBudget(size_t helpers) { helper_budget = helpers; }

void ParallelFor(size_t n, size_t concurrency, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  size_t wanted = std::min(std::max<size_t>(concurrency, 1), n) - 1;
  size_t granted = TakeHelpers(wanted);
  std::atomic<size_t> next{0};
  auto drain = [&] {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> helpers;
  helpers.reserve(granted);
  for (size_t t = 0; t < granted; ++t) helpers.emplace_back(drain);
  drain();
  for (std::thread& t : helpers) t.join();
  helper_budget += granted;
}

}  // namespace cordon
