#include "base/duration.h"

#include <string>

namespace cordon {
namespace {

long long UnitSeconds(char c) {
  switch (c) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return 0;
  }
}

bool IsPlainDate(std::string_view t) { return t.size() == 10 && t[4] == '-' && t[7] == '-'; }

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return MakeError(ErrorKind::kInvalidArgument, std::string(what) + ": '" + std::string(text) + "' " +
                                                      std::string(why) + " (e.g. 30m, 1h, 90s, 2h30m, 7d)");
  };
  const long long max = kMaxDuration.count();
  long long total = 0, number = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      // Checked before it can overflow: a number past the maximum is refused, not wrapped.
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > max) return bad("is too long");
      continue;
    }
    long long unit = UnitSeconds(c);
    if (unit == 0 || number < 0) return bad("is not a duration");
    if (number > (max - total) / unit) return bad("is too long");
    total += number * unit;
    number = -1;
  }
  if (number >= 0) return bad("needs a unit after each number");
  if (total <= 0) return bad("is not a duration");
  return std::chrono::seconds(total);
}

Result<TimePoint> ParseTimeOrAgo(std::string_view text, TimePoint now, bool end_of_day, std::string_view what) {
  std::string s(text);
  if (!s.empty() && UnitSeconds(s.back()) != 0 && s.find_first_not_of("0123456789smhd") == std::string::npos) {
    auto ago = ParseDuration(s, what);
    if (!ago) return MakeError(ago.error());
    return now - *ago;
  }
  if (IsPlainDate(s))
    if (auto t = ParseTimestamp(s + (end_of_day ? "T23:59:59Z" : "T00:00:00Z"))) return *t;
  if (auto t = ParseTimestamp(s)) return *t;
  return MakeError(ErrorKind::kInvalidArgument, "cannot read " + std::string(what) + " '" + s +
                                                    "' (use 7d, 12h, 2026-01-31 or 2026-01-31T10:00:00Z)");
}

}  // namespace cordon
