// The case an event belongs to, derived from the event alone, so that a redelivered or duplicated
// event (SQS delivers at least once; GuardDuty re-sends an updated finding with the same id)
// continues the same case instead of opening a second one (DESIGN.md §6 rule 11).
#pragma once

#include <string>

#include "automation/event.h"

namespace cordon::automation {

// PREFIX-GD-<finding id> for a GuardDuty finding, PREFIX-SH-<finding id> for a Security Hub one (one
// case for every instance of the finding), PREFIX-TAG-<instance>-<event time as
// YYYYMMDDTHHMMSSZ> for a tag change. When the finding id or time holds characters a case id cannot
// (evidence::ValidateCaseId) or the id would pass 64 characters, the part taken from the event is
// replaced by the first 24 hex digits of its SHA-256, which is still deterministic. `prefix` must
// itself be a valid case id of at most 16 characters (checked by the caller). Empty for kOther.
std::string CaseIdFor(const Event& event, const std::string& prefix);

}  // namespace cordon::automation
