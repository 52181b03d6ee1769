#include "automation/keyed_mutex.h"

namespace cordon::automation {

void KeyedMutex::Lock(const std::string& key) {
  std::unique_lock<std::mutex> lock(mu_);
  released_.wait(lock, [&] { return !held_.contains(key); });
  held_.insert(key);
}

void KeyedMutex::Unlock(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    held_.erase(key);
  }
  // Every waiter re-checks its own key; waiters are few (at most --jobs).
  released_.notify_all();
}

}  // namespace cordon::automation
