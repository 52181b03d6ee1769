// The loop of `cordon watch`: long-poll the queue, hand each message to a bounded pool of workers
// (different instances in parallel, one instance at a time), delete a message only once its case
// converged, and stop cleanly when asked.
//
// Message fate (a message may hold several events, e.g. a CreateTags on several instances: it is
// deleted only when all of them are handled):
//   - handled (contained, triaged, ignored, contained under another case): deleted;
//   - malformed, unknown instance, failed: left alone, so it comes back after the visibility
//     timeout and, after the queue's maxReceiveCount, SQS's redrive policy moves it to the DLQ;
//   - while handled, kept hidden from other receivers (VisibilityHeartbeat);
//   - received or in flight when a stop was asked: given back at once (visibility 0); an in-flight
//     plan stops before its next step, and the case journals the rest as not attempted.
// Every event and outcome is one JSON line through the LogFn; a line names the message id, never
// its receipt handle or body (a malformed body is named by its size and SHA-256).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "automation/event_handler.h"
#include "automation/keyed_mutex.h"
#include "automation/sqs_queue.h"
#include "automation/visibility_heartbeat.h"
#include "aws/client.h"
#include "base/error.h"
#include "base/thread_pool.h"

namespace cordon::automation {

struct LoopOptions {
  int jobs = 4;                 // messages handled at once
  int wait_seconds = 20;        // long poll (0..20); also how long a stop may wait for the poll
  int visibility_seconds = -1;  // VisibilityTimeout on receive; < 0: the queue's own
  int max_messages = 0;         // stop after receiving this many (0: no limit)
  double exit_when_idle = -1;   // stop once nothing was received for this many seconds (< 0: never)
};

class Watcher {
 public:
  // Everything must outlive the watcher. `stop` becoming true ends Run() (SIGTERM, SIGINT).
  Watcher(aws::Client* client, SqsQueue* queue, const WatchOptions* options, const LoopOptions* loop,
          LogFn log, const std::atomic<bool>* stop);

  // Runs until stopped, idle or max_messages, then waits for the messages in flight. Fails only
  // when the queue's attributes cannot be read, or a receive fails before any message came, with an
  // error retrying cannot fix (no such queue, access denied): later errors are logged and retried
  // with a backoff, bad input never stops it.
  [[nodiscard]] Status Run();

 private:
  void Handle(const QueueMessage& message);
  HandleResult HandleOne(const QueueMessage& message, const Event& event);
  void Settle(const QueueMessage& message, const std::vector<Event>& events,
              const std::vector<HandleResult>& results);
  Result<int> Visibility();
  int Room(int received);
  bool Busy();
  void Dispatch(ThreadPool& pool, std::vector<QueueMessage>& messages);

  aws::Client* client_;
  SqsQueue* queue_;
  const WatchOptions* options_;
  const LoopOptions* loop_;
  LogFn log_;
  const std::atomic<bool>* stop_;
  KeyedMutex instances_;                      // one event per instance at a time
  VisibilityHeartbeat* heartbeat_ = nullptr;  // Run's, while it runs
  std::mutex mu_;
  std::condition_variable slot_free_;
  int in_flight_ = 0;  // guarded by mu_
};

}  // namespace cordon::automation
