// Durations and points in time as a responder types them on the command line: "30m", "1h", "90s",
// "2h30m", "7d"; a point as a duration back from now ("7d"), a date ("2026-01-31") or an ISO 8601
// time. One parser for every flag that takes them (--every, --capture-timeout, --since, --until).
#pragma once

#include <chrono>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace cordon {

// The longest duration accepted: far beyond any response, and far from overflowing a time_point.
inline constexpr std::chrono::seconds kMaxDuration = std::chrono::hours(24 * 366 * 100);

// "30m", "1h", "90s", "2h30m", "7d" (units s, m, h, d; each number needs one) -> seconds.
// kInvalidArgument, naming `what` (the flag), for anything else, zero, or more than kMaxDuration.
Result<std::chrono::seconds> ParseDuration(std::string_view text, std::string_view what);

// A point in time: a duration back from `now` ("7d"), a plain date (its start, or with
// `end_of_day` its last second), or an ISO 8601 time. kInvalidArgument naming `what` otherwise.
Result<TimePoint> ParseTimeOrAgo(std::string_view text, TimePoint now, bool end_of_day, std::string_view what);

}  // namespace cordon
