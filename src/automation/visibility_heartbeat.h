// Keeps the messages being handled hidden from other receivers while their containment runs, which
// can outlast any fixed visibility timeout (a memory capture takes up to an hour). Without it a
// message would come back mid-containment and count a receive towards the DLQ.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "automation/event_handler.h"
#include "automation/sqs_queue.h"

namespace cordon::automation {

// Thread-safe. With `seconds` > 0, a thread extends every message added and not yet removed to
// `seconds` from now, every `seconds`/3 (at least every 200 ms); failures are logged, not fatal (the
// message may then come back, and its case continues where it is). `queue` must outlive it.
class VisibilityHeartbeat {
 public:
  VisibilityHeartbeat(SqsQueue* queue, int seconds, LogFn log);
  ~VisibilityHeartbeat();  // stops and joins the thread
  VisibilityHeartbeat(const VisibilityHeartbeat&) = delete;
  VisibilityHeartbeat& operator=(const VisibilityHeartbeat&) = delete;

  void Add(const QueueMessage& message);
  // After Remove returns, the message is never extended again, so a Delete or a Release (visibility
  // 0) that follows is not undone by a late extension.
  void Remove(const std::string& message_id);

 private:
  void Loop();

  SqsQueue* queue_;
  const int seconds_;
  LogFn log_;
  std::mutex mu_;  // also held during a round of extensions: Remove waits for it
  std::condition_variable wake_;
  std::map<std::string, QueueMessage> messages_;  // by message id
  bool done_ = false;
  std::thread thread_;
};

}  // namespace cordon::automation
