// What the process is waiting on right now (an AWS call, a waiter's polling), for the CLI's
// "waiting for ..." notice (issue 17): libraries mark a wait with an ActivityScope and know nothing
// of how, or whether, it is shown. Thread-safe; a scope costs one mutex lock at each end.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cordon {

// Marks "what" as waited on for the scope's lifetime ("ec2 DescribeInstances"). `what` may hold
// names AWS returned: whoever prints it neutralizes it.
class ActivityScope {
 public:
  explicit ActivityScope(std::string what);
  ~ActivityScope();
  ActivityScope(const ActivityScope&) = delete;
  ActivityScope& operator=(const ActivityScope&) = delete;

  // Replaces what is shown for this wait (its progress: "2 of 3 completed"); the wait keeps its id
  // and start, so a watcher counts it as the same wait.
  void Update(std::string what);

 private:
  uint64_t id_;
};

struct Activity {
  uint64_t id = 0;  // distinct per scope, for a watcher to tell one wait from the next
  std::string what;
  std::chrono::steady_clock::time_point since;
};

// Called, outside any lock, on the thread whose scope ended when no activity remains (the CLI clears
// its spinner line there, before the caller prints what the wait gave). Set once, before any scope.
void SetActivityIdleHook(void (*hook)());

// The activity waited on longest of those still in progress (an outer waiter before the calls it
// makes), or nullopt when there is none.
std::optional<Activity> OldestActivity();

}  // namespace cordon
