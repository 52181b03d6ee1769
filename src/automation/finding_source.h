// The GuardDuty finding `cordon contain --finding FILE|FINDING_ID` takes its target from: a JSON file
// or GuardDuty's GetFindings. Parsed by the same code as watch's events (ParseEvents), so a finding
// means the same instance, id, type and severity to both.
#pragma once

#include <string>
#include <string_view>

#include "automation/event.h"
#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::automation {

struct Finding {
  Json raw;            // the finding as read (the API's camelCase, or boto3's / the AWS CLI's PascalCase)
  Event event;         // kGuardDutyFinding: its instance, id, type, severity, region
  std::string source;  // for the evidence record: "file PATH" or "guardduty:GetFindings detector D"
};

// A file's text: a finding object, an EventBridge event of one ("detail"), GetFindings' output
// ({"findings"|"Findings": [one]}) or an array of one. kInvalidArgument naming `name` for anything
// else, several findings, or a finding that is not on an EC2 instance.
[[nodiscard]] Result<Finding> FindingFromJson(std::string_view text, const std::string& name);

// GuardDuty GetFindings of `finding_id` in `detector` (empty: the region's detector, ListDetectors,
// when there is exactly one). kNotFound when the detector does not have it.
[[nodiscard]] Result<Finding> FetchFinding(aws::Client& client, const std::string& finding_id,
                                           const std::string& detector);

}  // namespace cordon::automation
