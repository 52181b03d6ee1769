// The pieces GatherReport puts together, each testable on its own JSON: a hunt's results as timeline
// entries, a recorded state as facts, the case's state in one sentence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/json_fields.h"
#include "evidence/journal_format.h"
#include "report/report_model.h"

namespace cordon::report::detail {

// ISO 8601 UTC to the second ("2024-05-01T12:00:05Z") for any timestamp ParseTimestamp reads, so
// journal, CloudTrail and flow times sort together; the text as given when it is none of those.
std::string NormalTime(std::string_view text);

// The timeline entries of one `cordon hunt --output json` document stored in the case: every CloudTrail
// event (by and on the instance), the flow aggregates with the most bytes (peaks) and the findings, at
// most `cap` in all; `*left_out` counts the rest.
std::vector<TimelineEntry> HuntEntries(const Json& hunt, size_t cap, size_t* left_out);

// The facts of a recorded state (pre_state_collector's shape) a responder compares: instance state,
// security groups per ENI, Elastic IPs, instance profile, Auto Scaling group, load balancers,
// termination protection, shutdown behaviour, tags. `now` may be null: the facts then have now "".
std::vector<StateFact> CompareStates(const Json& before, const Json& now);

// "i-0abc isolated since 2024-05-01T12:00:09Z (contain by alice); case contained." and the like, from
// the journal alone.
std::string CurrentState(const std::vector<evidence::JournalRecord>& records, const std::string& status);

}  // namespace cordon::report::detail
