#include "cli/wait_notice.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "base/activity.h"
#include "base/terminal_text.h"

namespace cordon::cli {
namespace {

constexpr std::chrono::milliseconds kTick{200};
constexpr std::chrono::seconds kRepeatInPipe{30};

std::mutex line_mu;       // guards the spinner line and the writes around it
bool line_shown = false;  // a spinner line is on the terminal now (guarded by line_mu)

void ClearLineLocked() {
  if (!line_shown) return;
  std::fputs("\r\033[K", stderr);  // carriage return, erase to the end of the line
  std::fflush(stderr);
  line_shown = false;
}

long Seconds(std::chrono::steady_clock::duration d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

// One tick: what to show for the oldest activity, if it has lasted `after`.
class Ticker {
 public:
  Ticker(std::chrono::milliseconds after, bool terminal) : after_(after), terminal_(terminal) {}

  void Tick() {
    const auto now = std::chrono::steady_clock::now();
    auto activity = OldestActivity();
    std::lock_guard<std::mutex> lock(line_mu);
    if (!activity || now - activity->since < after_) {
      ClearLineLocked();
      return;
    }
    // What AWS named (a stack, a snapshot id) is data: neutralized before it reaches the terminal.
    const std::string what = NeutralizeControls(activity->what);
    const long waited = Seconds(now - activity->since);
    if (terminal_) {
      static constexpr char kSpinner[] = {'|', '/', '-', '\\'};
      std::fprintf(stderr, "\r%c cordon: waiting for %s - %lds\033[K", kSpinner[frame_++ % 4], what.c_str(),
                   waited);
      std::fflush(stderr);
      line_shown = true;
      return;
    }
    if (activity->id == shown_id_ && now - shown_at_ < kRepeatInPipe) return;
    std::fprintf(stderr, "cordon: %s %s - %lds so far\n",
                 activity->id == shown_id_ ? "still waiting for" : "waiting for", what.c_str(), waited);
    shown_id_ = activity->id;
    shown_at_ = now;
  }

 private:
  std::chrono::milliseconds after_;
  bool terminal_;
  unsigned frame_ = 0;
  uint64_t shown_id_ = 0;
  std::chrono::steady_clock::time_point shown_at_;
};

void ClearLine() {
  std::lock_guard<std::mutex> lock(line_mu);
  ClearLineLocked();
}

}  // namespace

WaitNotice::WaitNotice(std::chrono::milliseconds after) {
  const bool terminal = isatty(fileno(stderr)) == 1;
  SetActivityIdleHook(&ClearLine);
  thread_ = std::jthread([after, terminal](std::stop_token stop) {
    Ticker ticker(after, terminal);
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(kTick);
      ticker.Tick();
    }
  });
}

WaitNotice::~WaitNotice() {
  thread_.request_stop();
  thread_.join();
  ClearLine();
}

void WriteAboveWaitLine(const std::function<void()>& write) {
  std::lock_guard<std::mutex> lock(line_mu);
  ClearLineLocked();
  write();
}

}  // namespace cordon::cli
