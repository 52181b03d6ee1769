#include "base/time.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

namespace cordon {
namespace {

std::tm ToTm(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string Format(TimePoint t, const char* format) {
  std::tm tm = ToTm(t);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), format, &tm);
  return std::string(buf, n);
}

// Microseconds past the whole second; floors for times before the epoch too.
int64_t Micros(TimePoint t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  int64_t r = us % 1000000;
  return r < 0 ? r + 1000000 : r;
}

TimePoint FromParts(int y, int mo, int d, int h, int mi, int s, int64_t micros, int offset_seconds) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t secs = timegm(&tm) - offset_seconds;
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::microseconds(micros);
}

// A calendar date and a time of day that exist (timegm would roll 2026-13-45 over into 2027).
bool ValidParts(int y, int mo, int d, int h, int mi, int s) {
  using namespace std::chrono;
  return year_month_day(year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))).ok() &&
         mo >= 1 && d >= 1 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s <= 60;
}

std::optional<TimePoint> ParseIso(std::string_view text) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  std::string copy(text);
  int consumed = 0;
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6) {
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 ||
        consumed != (int)copy.size() || !ValidParts(y, mo, d, 0, 0, 0))
      return std::nullopt;
    return FromParts(y, mo, d, 0, 0, 0, 0, 0);
  }
  if (!ValidParts(y, mo, d, h, mi, s)) return std::nullopt;
  std::string_view rest = text.substr(consumed);
  int64_t micros = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    int64_t scale = 100000;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      micros += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    rest = rest.substr(i);
  }
  int offset = 0;
  if (rest == "Z" || rest == "z" || rest.empty()) {
  } else if ((rest[0] == '+' || rest[0] == '-') && rest.size() >= 5) {
    int oh = std::atoi(std::string(rest.substr(1, 2)).c_str());
    int om = std::atoi(std::string(rest.substr(rest[3] == ':' ? 4 : 3, 2)).c_str());
    offset = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return FromParts(y, mo, d, h, mi, s, micros, offset);
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char wday[8], mon[8];
  int d, y, h, mi, s;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%3s, %d %3s %d %d:%d:%d", wday, &d, mon, &y, &h, &mi, &s) != 7)
    return std::nullopt;
  for (int m = 0; m < 12; ++m)
    if (std::strcmp(mon, kMonths[m]) == 0) return FromParts(y, m + 1, d, h, mi, s, 0, 0);
  return std::nullopt;
}

}  // namespace

void SystemClock::SleepFor(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

SystemClock* SystemClock::Default() {
  static SystemClock clock;
  return &clock;
}

std::string FormatAmzDate(TimePoint t) { return Format(t, "%Y%m%dT%H%M%SZ"); }

size_t WriteIso8601(TimePoint t, char* out) {
  // From the calendar arithmetic of <chrono>, not gmtime_r + strftime: a flow hunt writes two of these per
  // aggregate, hundreds of thousands, and strftime cost about a microsecond each.
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{secs - day};
  // A TimePoint counts nanoseconds in 64 bits: its years are 1677 to 2262, always four digits.
  const int year = static_cast<int>(ymd.year());
  auto two = [](char* at, unsigned v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  two(out, static_cast<unsigned>(year / 100));
  two(out + 2, static_cast<unsigned>(year % 100));
  out[4] = '-';
  two(out + 5, static_cast<unsigned>(ymd.month()));
  out[7] = '-';
  two(out + 8, static_cast<unsigned>(ymd.day()));
  out[10] = 'T';
  two(out + 11, static_cast<unsigned>(hms.hours().count()));
  out[13] = ':';
  two(out + 14, static_cast<unsigned>(hms.minutes().count()));
  out[16] = ':';
  two(out + 17, static_cast<unsigned>(hms.seconds().count()));
  out[19] = 'Z';
  return 20;
}

std::string FormatIso8601(TimePoint t) {
  char buf[kIso8601Size];
  return std::string(buf, WriteIso8601(t, buf));
}

std::string FormatHttpDate(TimePoint t) { return Format(t, "%a, %d %b %Y %H:%M:%S GMT"); }

std::string FormatIsoLikeBoto3(TimePoint t) {
  std::string out = Format(t, "%Y-%m-%dT%H:%M:%S");
  if (int64_t us = Micros(t)) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  return out + "+00:00";
}

std::optional<TimePoint> ParseTimestamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool numeric = true;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-') numeric = false;
  if (numeric && text.find('-', 1) == std::string_view::npos) {
    double secs = std::strtod(std::string(text).c_str(), nullptr);
    auto us = static_cast<int64_t>(secs * 1e6 + (secs >= 0 ? 0.5 : -0.5));
    return TimePoint(std::chrono::microseconds(us));
  }
  if (auto t = ParseIso(text)) return t;
  return ParseHttpDate(text);
}

}  // namespace cordon
