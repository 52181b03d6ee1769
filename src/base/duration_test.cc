#include "base/duration.h"

#include <gtest/gtest.h>

namespace cordon {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDuration, ReadsEveryUnitAndTheirSums) {
  EXPECT_EQ(*ParseDuration("90s", "--every"), seconds(90));
  EXPECT_EQ(*ParseDuration("30m", "--every"), minutes(30));
  EXPECT_EQ(*ParseDuration("2h30m", "--every"), minutes(150));
  EXPECT_EQ(*ParseDuration("7d", "--every"), hours(168));
}

TEST(ParseDuration, RefusesWhatIsNotADurationNamingTheFlag) {
  for (const char* text : {"", "30", "m", "1x", "-5m", "0m", "1h 2m", "1.5h"}) {
    auto d = ParseDuration(text, "--every");
    ASSERT_FALSE(d) << text;
    EXPECT_EQ(d.error().kind, ErrorKind::kInvalidArgument) << text;
    EXPECT_NE(d.error().message.find("--every"), std::string::npos) << d.error().message;
  }
}

// Regression: `--since 99999999999999999999d` aborted triage (std::stol threw out_of_range).
TEST(ParseDuration, RefusesOverflowInsteadOfWrapping) {
  for (const char* text : {"99999999999999999999d", "9223372036854775807s", "36700d", "99999999h1s"}) {
    auto d = ParseDuration(text, "--since");
    ASSERT_FALSE(d) << text;
    EXPECT_NE(d.error().message.find("too long"), std::string::npos) << d.error().message;
  }
  EXPECT_TRUE(ParseDuration("36500d", "--since"));
}

TEST(ParseTimeOrAgo, ReadsAgoDatesAndTimes) {
  const TimePoint now = *ParseTimestamp("2026-12-02T12:00:00Z");
  EXPECT_EQ(FormatIso8601(*ParseTimeOrAgo("7d", now, false, "--since")), "2026-11-25T12:00:00Z");
  EXPECT_EQ(FormatIso8601(*ParseTimeOrAgo("90m", now, false, "--since")), "2026-12-02T10:30:00Z");
  EXPECT_EQ(FormatIso8601(*ParseTimeOrAgo("2026-01-31", now, false, "--since")), "2026-01-31T00:00:00Z");
  EXPECT_EQ(FormatIso8601(*ParseTimeOrAgo("2026-01-31", now, true, "--until")), "2026-01-31T23:59:59Z");
  EXPECT_EQ(FormatIso8601(*ParseTimeOrAgo("2026-01-31T10:00:00Z", now, true, "--until")),
            "2026-01-31T10:00:00Z");
}

TEST(ParseTimeOrAgo, RefusesTheRestNamingTheFlag) {
  const TimePoint now = *ParseTimestamp("2026-12-02T12:00:00Z");
  for (const char* text : {"yesterday", "2026-13-45", "99999999999999999999d", ""}) {
    auto t = ParseTimeOrAgo(text, now, false, "--since");
    ASSERT_FALSE(t) << text;
    EXPECT_EQ(t.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(t.error().message.find("--since"), std::string::npos) << t.error().message;
  }
}

}  // namespace
}  // namespace cordon
