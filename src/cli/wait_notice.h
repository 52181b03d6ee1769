// "cordon: waiting for ec2 SnapshotCompleted (snap-0a1b...) - 12s" on stderr while AWS keeps cordon
// waiting (issue 17): nothing for the first seconds, then on a terminal a spinner line redrawn in
// place, and in a pipe a plain line, repeated every 30 s while the same wait goes on. What is waited
// on comes from base/activity.h (the AWS client marks its calls and waiters).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace cordon::cli {

// Watches base/activity.h from its own thread while it lives.
class WaitNotice {
 public:
  explicit WaitNotice(std::chrono::milliseconds after = std::chrono::seconds(3));
  ~WaitNotice();  // stops the thread and clears a spinner line
  WaitNotice(const WaitNotice&) = delete;
  WaitNotice& operator=(const WaitNotice&) = delete;

 private:
  std::jthread thread_;
};

// Runs `write` (output to stderr or stdout) with any spinner line cleared first, so that a line cordon
// prints is never glued to it; the spinner is redrawn at its next tick.
void WriteAboveWaitLine(const std::function<void()>& write);

}  // namespace cordon::cli
