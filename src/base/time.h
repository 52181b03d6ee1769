// Time: a Clock seam (real and fake) and the timestamp formats AWS uses.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cordon {

using TimePoint = std::chrono::system_clock::time_point;

// The time source. Code that waits or stamps takes a Clock so tests can use FakeClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  void SleepFor(std::chrono::milliseconds duration) override;
  static SystemClock* Default();
};

// A clock that only moves when told to; SleepFor advances it and records the total slept.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void SleepFor(std::chrono::milliseconds duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += duration;
    slept_ += duration;
  }
  std::chrono::milliseconds slept() const {
    std::lock_guard<std::mutex> lock(mu_);
    return slept_;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  std::chrono::milliseconds slept_{0};
};

// "20150830T123600Z" (SigV4 X-Amz-Date).
std::string FormatAmzDate(TimePoint t);
// "2015-08-30T12:36:00Z" (ISO 8601, UTC, no fraction).
std::string FormatIso8601(TimePoint t);
// The same written to `out` (room for kIso8601Size bytes, no terminating NUL); returns the length. For
// writers of many timestamps, without a string per call.
inline constexpr size_t kIso8601Size = 20;
size_t WriteIso8601(TimePoint t, char* out);
// As Python's datetime.isoformat() on a UTC datetime, which is how boto3 results print:
// "2015-08-30T12:36:00+00:00" or "2015-08-30T12:36:00.123000+00:00".
std::string FormatIsoLikeBoto3(TimePoint t);
// "Sun, 30 Aug 2015 12:36:00 GMT" (RFC 822 / HTTP date).
std::string FormatHttpDate(TimePoint t);

// Parses ISO 8601 (with or without fraction, 'Z' or +hh:mm offset), RFC 822 HTTP dates and
// epoch seconds (integer or fractional). Returns nullopt when the text is none of these.
std::optional<TimePoint> ParseTimestamp(std::string_view text);

}  // namespace cordon
