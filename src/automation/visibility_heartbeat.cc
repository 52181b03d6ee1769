#include "automation/visibility_heartbeat.h"

#include <algorithm>
#include <chrono>

namespace cordon::automation {

VisibilityHeartbeat::VisibilityHeartbeat(SqsQueue* queue, int seconds, LogFn log)
    : queue_(queue), seconds_(seconds), log_(std::move(log)) {
  if (seconds_ > 0) thread_ = std::thread([this] { Loop(); });
}

VisibilityHeartbeat::~VisibilityHeartbeat() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VisibilityHeartbeat::Add(const QueueMessage& message) {
  std::lock_guard<std::mutex> lock(mu_);
  messages_[message.message_id] = message;
}

void VisibilityHeartbeat::Remove(const std::string& message_id) {
  std::lock_guard<std::mutex> lock(mu_);
  messages_.erase(message_id);
}

void VisibilityHeartbeat::Loop() {
  const auto period =
      std::max(std::chrono::milliseconds(200), std::chrono::milliseconds(seconds_ * 1000 / 3));
  std::unique_lock<std::mutex> lock(mu_);
  while (!done_) {
    wake_.wait_for(lock, period, [this] { return done_; });
    if (done_) break;
    // Under the lock, so Remove cannot return while an extension of its message is on the wire.
    for (const auto& [id, message] : messages_) {
      if (Status s = queue_->Extend(message, seconds_); !s && log_)
        log_(Json{{"log", "error"},
                  {"message_id", id},
                  {"error", "extending the visibility: " + s.error().ToString()}});
    }
  }
}

}  // namespace cordon::automation
