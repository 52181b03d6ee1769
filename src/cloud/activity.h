// Recent activity around one instance: CloudTrail management events naming it or made with its role
// credentials (the role session is named after the instance), and its AWS Config history.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/json.h"
#include "base/time.h"
#include "cloud/target.h"

namespace cordon::cloud {

struct TrailEvent {
  std::string time, name, source, username, event_id, source_ip, error_code;
  bool read_only = false;
  std::string matched;  // "resource" (names the instance) or "session" (its role credentials)
};

struct ConfigItem {
  std::string capture_time, status, state_id;
};

struct Activity {
  std::string since;  // ISO 8601
  std::string cloudtrail_error;
  std::vector<TrailEvent> cloudtrail;  // newest first, one entry per event id
  std::string config_error;
  bool config_recorder = false;  // a recorder exists in the region; else no history is asked for
  std::vector<ConfigItem> config;
};

// Reads both sources; each failure is recorded in its part, so this never fails as a whole.
Activity CollectActivity(aws::Client& client, const ResolvedTarget& target, TimePoint since);

// Parses LookupEvents' Events[] into TrailEvents (pure); `matched` is copied into each.
std::vector<TrailEvent> ParseLookupEvents(const Json& lookup_events_output, const std::string& matched);

Json ToJson(const Activity& activity);

}  // namespace cordon::cloud
