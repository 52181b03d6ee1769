#include "base/activity.h"

#include <atomic>
#include <map>
#include <mutex>

namespace cordon {
namespace {

struct Registry {
  std::mutex mu;
  uint64_t next_id = 1;
  std::map<uint64_t, Activity> active;  // by id: ids grow, so the first is the oldest
};

std::atomic<void (*)()> idle_hook{nullptr};

Registry& Get() {
  static Registry* registry = new Registry;  // never destroyed: scopes may end during exit
  return *registry;
}

}  // namespace

ActivityScope::ActivityScope(std::string what) {
  Registry& r = Get();
  std::lock_guard<std::mutex> lock(r.mu);
  id_ = r.next_id++;
  r.active.emplace(id_, Activity{id_, std::move(what), std::chrono::steady_clock::now()});
}

ActivityScope::~ActivityScope() {
  Registry& r = Get();
  bool idle = false;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    r.active.erase(id_);
    idle = r.active.empty();
  }
  if (auto* hook = idle_hook.load(); idle && hook != nullptr) hook();
}

void ActivityScope::Update(std::string what) {
  Registry& r = Get();
  std::lock_guard<std::mutex> lock(r.mu);
  if (auto it = r.active.find(id_); it != r.active.end()) it->second.what = std::move(what);
}

void SetActivityIdleHook(void (*hook)()) { idle_hook = hook; }

std::optional<Activity> OldestActivity() {
  Registry& r = Get();
  std::lock_guard<std::mutex> lock(r.mu);
  if (r.active.empty()) return std::nullopt;
  return r.active.begin()->second;
}

}  // namespace cordon
