#include "automation/watcher.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/hash.h"
#include "base/thread_pool.h"

namespace cordon::automation {
namespace {

// A nap wakes this often to look for a stop, so SIGTERM ends the watch within a tenth of a second.
constexpr std::chrono::milliseconds kStopCheck{100};
// How long the loop waits for a worker to free up before it looks for a stop again, while every worker
// is busy.
constexpr std::chrono::milliseconds kSlotWait{200};
// SQS's most messages per ReceiveMessage.
constexpr int kMaxReceive = 10;
// After a failed receive: 0.5 s, doubling on each failure in a row, to at most 30 s (500 << 6 is 32 s),
// so a queue that comes back is read again soon and one that stays away is not hammered.
constexpr int kFirstRetryMs = 500;
constexpr int kMaxRetryDoublings = 6;
constexpr int kMaxRetryMs = 30000;

using Clock = std::chrono::steady_clock;

bool Stopping(const std::atomic<bool>* stop) { return stop != nullptr && stop->load(); }

// Errors a retry cannot fix: the watcher was pointed at the wrong queue or lacks permission.
bool Fatal(const Error& e) {
  return e.kind == ErrorKind::kNotFound || e.kind == ErrorKind::kAccessDenied ||
         e.kind == ErrorKind::kInvalidArgument;
}

// Sleeps up to `d`, waking early on a stop.
void Nap(std::chrono::milliseconds d, const std::atomic<bool>* stop) {
  for (auto end = Clock::now() + d; Clock::now() < end && !Stopping(stop);)
    std::this_thread::sleep_for(kStopCheck);
}

Json EventLine(const QueueMessage& m, const Event& e) {
  Json j = {{"log", "event"},
            {"message_id", m.message_id},
            {"receive_count", m.receive_count},
            {"kind", EventKindName(e.kind)},
            {"instance_id", e.instance_id}};
  if (!e.finding_id.empty()) j["finding_id"] = e.finding_id;
  return j;
}

}  // namespace

Watcher::Watcher(aws::Client* client, SqsQueue* queue, const WatchOptions* options, const LoopOptions* loop,
                 LogFn log, const std::atomic<bool>* stop)
    : client_(client), queue_(queue), options_(options), loop_(loop), log_(std::move(log)), stop_(stop) {}

// The message leaves the queue only when every event in it is done; one stopped gives it back.
void Watcher::Settle(const QueueMessage& message, const std::vector<Event>& events,
                     const std::vector<HandleResult>& results) {
  heartbeat_->Remove(message.message_id);
  bool done = std::all_of(results.begin(), results.end(), [](const HandleResult& r) { return r.done(); });
  bool stopped = std::any_of(results.begin(), results.end(),
                             [](const HandleResult& r) { return r.outcome == Outcome::kStopped; });
  Json fate = {{"deleted", false}};
  if (done) {
    Status s = queue_->Delete(message);
    fate["deleted"] = s.has_value();
    if (!s) fate["delete_error"] = s.error().ToString();
  } else if (stopped) {
    // Visible again at once, for whichever watcher runs next; the case continues where it stopped.
    Status s = queue_->Release(message);
    fate["released"] = s.has_value();
  }
  for (size_t i = 0; i < results.size(); ++i) {
    Json line = {{"log", "outcome"},
                 {"message_id", message.message_id},
                 {"instance_id", events[i].instance_id},
                 {"kind", EventKindName(events[i].kind)},
                 {"outcome", OutcomeName(results[i].outcome)},
                 {"case", results[i].case_id},
                 {"detail", results[i].detail}};
    if (!events[i].finding_id.empty()) line["finding_id"] = events[i].finding_id;
    line.update(fate);
    log_(line);
  }
}

HandleResult Watcher::HandleOne(const QueueMessage& message, const Event& event) {
  log_(EventLine(message, event));
  // Events for one instance one after another: the second then finds the first's case converged.
  KeyedLock lock(&instances_, event.instance_id);
  if (Stopping(stop_)) return HandleResult{Outcome::kStopped, "", "not started"};
  return HandleEvent(*client_, event, message.message_id, *options_, stop_, log_);
}

void Watcher::Handle(const QueueMessage& message) {
  auto events = ParseEvents(message.body);
  if (!events) {
    log_(Json{{"log", "malformed"},
              {"message_id", message.message_id},
              {"receive_count", message.receive_count},
              {"error", events.error().message},
              {"body_bytes", message.body.size()},
              {"body_sha256", Sha256Hex(message.body)},
              {"deleted", false}});
    return;
  }
  // The events of one message (a CreateTags on several instances) run one after another.
  std::vector<HandleResult> results;
  for (const Event& event : *events) results.push_back(HandleOne(message, event));
  Settle(message, *events, results);
}

// The visibility timeout the heartbeat keeps up: --visibility-timeout, else the queue's own.
Result<int> Watcher::Visibility() {
  if (loop_->visibility_seconds >= 0) return loop_->visibility_seconds;
  return queue_->VisibilityTimeout();
}

// Waits (a little) for a free worker; how many messages the next receive may take.
int Watcher::Room(int received) {
  int room;
  {
    std::unique_lock<std::mutex> lock(mu_);
    slot_free_.wait_for(lock, kSlotWait, [&] { return in_flight_ < loop_->jobs; });
    room = loop_->jobs - in_flight_;
  }
  room = std::min(room, kMaxReceive);
  if (loop_->max_messages > 0) room = std::min(room, loop_->max_messages - received);
  return room;
}

bool Watcher::Busy() {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_ > 0;
}

void Watcher::Dispatch(ThreadPool& pool, std::vector<QueueMessage>& messages) {
  for (QueueMessage& m : messages) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++in_flight_;
    }
    heartbeat_->Add(m);
    pool.Submit([this, m = std::move(m)] {
      Handle(m);
      heartbeat_->Remove(m.message_id);  // a malformed message was never settled
      {
        std::lock_guard<std::mutex> lock(mu_);
        --in_flight_;
      }
      slot_free_.notify_all();
    });
  }
}

Status Watcher::Run() {
  auto visibility = Visibility();
  if (!visibility) {
    if (Fatal(visibility.error())) return MakeError(visibility.error());
    log_(Json{{"log", "error"}, {"error", "no visibility heartbeat: " + visibility.error().ToString()}});
  }
  VisibilityHeartbeat heartbeat(queue_, visibility ? *visibility : 0, log_);
  heartbeat_ = &heartbeat;
  ThreadPool pool(static_cast<size_t>(std::max(1, loop_->jobs)));
  auto idle_since = Clock::now();
  int received = 0, failures = 0;
  std::string why = "signal";
  while (!Stopping(stop_)) {
    if (loop_->max_messages > 0 && received >= loop_->max_messages) {
      why = "max-messages";
      break;
    }
    int room = Room(received);
    if (room <= 0) continue;
    auto messages = queue_->Receive(room, loop_->wait_seconds, loop_->visibility_seconds);
    if (!messages) {
      if (received == 0 && Fatal(messages.error())) {
        heartbeat_ = nullptr;  // nothing was dispatched, so no task uses it
        return MakeError(messages.error());
      }
      log_(Json{{"log", "error"}, {"error", "receiving from the queue: " + messages.error().ToString()}});
      Nap(std::chrono::milliseconds(
              std::min(kMaxRetryMs, kFirstRetryMs << std::min(failures++, kMaxRetryDoublings))),
          stop_);
      continue;
    }
    failures = 0;
    if (messages->empty()) {
      std::chrono::duration<double> idle = Clock::now() - idle_since;
      if (loop_->exit_when_idle >= 0 && idle.count() >= loop_->exit_when_idle && !Busy()) {
        why = "idle";
        break;
      }
      continue;
    }
    idle_since = Clock::now();
    received += static_cast<int>(messages->size());
    Dispatch(pool, *messages);
  }
  pool.Wait();
  heartbeat_ = nullptr;
  log_(Json{{"log", "stop"}, {"reason", Stopping(stop_) ? "signal" : why}, {"received", received}});
  return Ok();
}

}  // namespace cordon::automation
