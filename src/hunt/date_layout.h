// The date folders of AWS log delivery (CloudTrail and VPC flow logs in S3) and pruning by them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace cordon::hunt {

// A range of whole UTC days, as days since 1970-01-01, both ends inclusive.
struct DayRange {
  int64_t first = 0;
  int64_t last = 0;
};

// The days a key or folder path can hold, from the AWS layout
//   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/...   (also CloudTrail-Insight, vpcflowlogs)
// Partial paths give wider ranges: ".../CloudTrail/us-east-1/2023" covers all of 2023,
// ".../2023/07" all of July. nullopt when the path does not follow the layout (then nothing is pruned).
std::optional<DayRange> DaysOfKey(std::string_view path);

// Whether a key or folder may hold events in [since, until], with a margin of one day on each side.
bool MayHoldWindow(std::string_view path, std::optional<TimePoint> since, std::optional<TimePoint> until);

// "YYYY/MM/DD/" for every day from since - 1 day to until + 1 day (for listing S3 by prefix under
// .../CloudTrail/<region>/). Empty when either end is open (list everything then).
std::vector<std::string> DayPrefixes(std::optional<TimePoint> since, std::optional<TimePoint> until);

// Days since the epoch for a civil date, and back (proleptic Gregorian, as std::chrono does).
int64_t DaysFromCivil(int year, unsigned month, unsigned day);
int64_t DayOf(TimePoint t);

}  // namespace cordon::hunt
