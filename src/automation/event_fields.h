// Helpers shared by the parsers of automation/event (internal to automation/).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "automation/event.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::automation::detail {

inline tl::unexpected<Error> Invalid(std::string what) {
  return MakeError(ErrorKind::kInvalidArgument, std::move(what));
}

// Instance ids are what a message can make cordon act on, so nothing else passes as one.
bool IsInstanceId(std::string_view id);

// "arn:aws:ec2:REGION:ACCOUNT:instance/i-..." -> "i-..."; "" for any other ARN.
std::string InstanceFromArn(std::string_view arn);

// The source-specific parts: each appends to `out` one copy of `base` (the envelope's fields filled)
// per instance, or, when the event names none, says why in base->ignored.
Status ParseCloudTrailTags(const Json& detail, Event* base, std::vector<Event>* out);
Status ParseSecurityHub(const Json& detail, Event* base, std::vector<Event>* out);

}  // namespace cordon::automation::detail
