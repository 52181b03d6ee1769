#include "hunt/memory_budget.h"

namespace cordon::hunt {

size_t MemoryBudget::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return free_;
}

bool MemoryBudget::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiters_ > 0;
}

bool MemoryBudget::Take(size_t bytes) {
  if (bytes > total_) return false;
  std::unique_lock<std::mutex> lock(mu_);
  ++waiters_;
  freed_.wait(lock, [&] { return free_ >= bytes; });
  --waiters_;
  free_ -= bytes;
  return true;
}

bool MemoryBudget::TryTake(size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (free_ < bytes) return false;
  free_ -= bytes;
  return true;
}

void MemoryBudget::Give(size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_ += bytes;
  }
  freed_.notify_all();
}

bool Lease::Acquire(size_t bytes) {
  Release();
  if (!budget_->Take(bytes)) return false;
  held_ = bytes;
  return true;
}

bool Lease::TryGrow(size_t bytes) {
  if (bytes <= held_) return true;
  if (!budget_->TryTake(bytes - held_)) return false;
  held_ = bytes;
  return true;
}

void Lease::Release() {
  if (held_ > 0) budget_->Give(held_);
  held_ = 0;
}

}  // namespace cordon::hunt
