// The case report: what a responder hands to the incident lead or attaches to the ticket. Markdown
// rendered from the case database alone (never from live AWS state), so it says what the journal
// proves: who responded and when, where each step of each target ended, the evidence with its
// hashes, the notes (isolation exceptions, drift, skipped items), and whether the journal verifies.
#pragma once

#include <string>

#include "base/error.h"
#include "evidence/case_store.h"

namespace cordon::report {

[[nodiscard]] Result<std::string> RenderCaseReport(evidence::CaseStore& store);

}  // namespace cordon::report
