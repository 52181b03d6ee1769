// The events `cordon watch` acts on, parsed from an EventBridge event as it arrives in an SQS
// message body (EventBridge delivers the event JSON itself as the body of the message it sends to
// an SQS target: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
//
// Kinds understood (one message may name several instances, and then gives one Event each):
//   - "GuardDuty Finding" from aws.guardduty: the instance in detail.resource.instanceDetails.instanceId
//     when detail.resource.resourceType is "Instance";
//   - "Tag Change on Resource" from aws.tag on an EC2 instance: the instance from resources[0]'s ARN,
//     the tags in detail.tags and the keys that changed in detail.changed-tag-keys;
//   - "AWS API Call via CloudTrail" from aws.ec2 for a successful CreateTags: one tag change per
//     instance in requestParameters.resourcesSet, the tags (and changed keys) from its tagSet;
//   - "Security Hub Findings - Imported" from aws.securityhub: one finding event per (active finding,
//     AwsEc2Instance resource); severity is Severity.Normalized / 10 (GuardDuty's 0-10 scale), the
//     type is Types[0].
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
  kSecurityHubFinding,
  kTagChange,
  kOther,  // well-formed, but not about an EC2 instance in a way watch acts on (said in `ignored`)
};

struct Event {
  EventKind kind = EventKind::kOther;
  std::string event_id;  // the envelope's id (EventBridge's; differs on each delivery of a PutEvents)
  std::string time;      // the envelope's time (CloudTrail: the call's eventTime), ISO 8601
  std::string region;    // the envelope's region (else the finding's)
  std::string account;
  std::string instance_id;  // i-...; empty for kOther
  // kGuardDutyFinding, kSecurityHubFinding
  std::string finding_id, finding_type;
  double severity = 0;
  // kTagChange
  std::map<std::string, std::string> tags;
  std::vector<std::string> changed_tag_keys;
  // kOther: why watch does not act on it ("a GuardDuty finding on an AccessKey, not an instance").
  std::string ignored;
};

// Parses one message body into the events it holds, in order (at least one). kInvalidArgument when
// it is not JSON, not an EventBridge event (no "detail-type", "source" or "detail" object), or an
// event of a known kind missing what identifies it (a finding without an id, an instance id that is
// not i-[0-9a-f]+). The message never quotes the body (it may hold anything): it names the field
// that is wrong. An event of another source or detail-type, or one naming no instance, is a single
// kOther, not an error.
[[nodiscard]] Result<std::vector<Event>> ParseEvents(std::string_view body);

// "guardduty-finding", "securityhub-finding", "tag-change", "other": for log lines.
std::string_view EventKindName(EventKind kind);

}  // namespace cordon::automation
