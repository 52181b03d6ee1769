#include "hunt/date_layout.h"

#include <chrono>

#include "base/strings.h"

namespace cordon::hunt {
namespace {

bool AllDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

constexpr int64_t kMargin = 1;  // days

}  // namespace

int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_days(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day))
      .time_since_epoch()
      .count();
}

int64_t DayOf(TimePoint t) { return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count(); }

std::optional<DayRange> DaysOfKey(std::string_view path) {
  std::vector<std::string> parts = Split(path, '/');
  for (size_t i = 0; i + 2 < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p != "CloudTrail" && p != "CloudTrail-Insight" && p != "vpcflowlogs") continue;
    // parts[i + 1] is the region; the date follows.
    std::vector<std::string_view> date;
    for (size_t k = i + 2; k < parts.size() && date.size() < 3; ++k) date.push_back(parts[k]);
    if (date.empty() || !AllDigits(date[0], 4)) return std::nullopt;
    const int year = ToInt(date[0]);
    if (date.size() < 2 || !AllDigits(date[1], 2)) {
      return DayRange{DaysFromCivil(year, 1, 1), DaysFromCivil(year, 12, 31)};
    }
    const unsigned month = static_cast<unsigned>(ToInt(date[1]));
    if (month < 1 || month > 12) return std::nullopt;
    if (date.size() < 3 || !AllDigits(date[2], 2)) {
      const int64_t first = DaysFromCivil(year, month, 1);
      const int64_t next = month == 12 ? DaysFromCivil(year + 1, 1, 1) : DaysFromCivil(year, month + 1, 1);
      return DayRange{first, next - 1};
    }
    const unsigned day = static_cast<unsigned>(ToInt(date[2]));
    if (day < 1 || day > 31) return std::nullopt;
    const int64_t d = DaysFromCivil(year, month, day);
    return DayRange{d, d};
  }
  return std::nullopt;
}

bool MayHoldWindow(std::string_view path, std::optional<TimePoint> since, std::optional<TimePoint> until) {
  if (!since && !until) return true;
  std::optional<DayRange> days = DaysOfKey(path);
  if (!days) return true;
  if (since && days->last < DayOf(*since) - kMargin) return false;
  if (until && days->first > DayOf(*until) + kMargin) return false;
  return true;
}

std::vector<std::string> DayPrefixes(std::optional<TimePoint> since, std::optional<TimePoint> until) {
  std::vector<std::string> out;
  if (!since || !until) return out;
  for (int64_t d = DayOf(*since) - kMargin; d <= DayOf(*until) + kMargin; ++d) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%04d/%02u/%02u/", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace cordon::hunt
