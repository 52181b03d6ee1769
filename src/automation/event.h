// The events `cordon watch` acts on, parsed from an EventBridge event as it arrives in an SQS
// message body (EventBridge delivers the event JSON itself as the body of the message it sends to
// an SQS target: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
//
// Kinds understood:
//   - "GuardDuty Finding" from aws.guardduty: the instance in detail.resource.instanceDetails.instanceId
//     when detail.resource.resourceType is "Instance";
//   - "Tag Change on Resource" from aws.tag on an EC2 instance: the instance from resources[0]'s ARN,
//     the tags in detail.tags and the keys that changed in detail.changed-tag-keys.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::automation {

enum class EventKind {
  kGuardDutyFinding,
  kTagChange,
  kOther,  // well-formed, but not about an EC2 instance in a way watch acts on (said in `ignored`)
};

struct Event {
  EventKind kind = EventKind::kOther;
  std::string event_id;   // the envelope's id (EventBridge's; differs on each delivery of a PutEvents)
  std::string time;       // the envelope's time, ISO 8601
  std::string region;     // the envelope's region (else the finding's)
  std::string account;
  std::string instance_id;  // i-...; empty for kOther
  // kGuardDutyFinding
  std::string finding_id, finding_type;
  double severity = 0;
  // kTagChange
  std::map<std::string, std::string> tags;
  std::vector<std::string> changed_tag_keys;
  // kOther: why watch does not act on it ("a GuardDuty finding on an AccessKey, not an instance").
  std::string ignored;
};

// Parses one message body. kInvalidArgument when it is not JSON, not an EventBridge event (no
// "detail-type", "source" or "detail" object), or an event of a known kind missing what identifies
// it (a finding without an id, an instance id that is not i-[0-9a-f]+). The message never quotes
// the body (it may hold anything): it names the field that is wrong. An event of another source or
// detail-type is kOther, not an error.
[[nodiscard]] Result<Event> ParseEvent(std::string_view body);

// "guardduty-finding", "tag-change", "other": for log lines.
std::string_view EventKindName(EventKind kind);

}  // namespace cordon::automation
