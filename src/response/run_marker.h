// Marks each command run in the journal (run.start / run.end), so a run that died between steps
// (not only inside one) is visible: the next run journals run.interrupted naming it.
#pragma once

#include <string>

#include "evidence/case_store.h"

namespace cordon::response {

// Journals run.interrupted {"reason", "run_seq"} when the case's last run.start has no run.end,
// then run.start {"command"}. Returns the run.start seq (0 when the journal could not be written).
int64_t BeginRun(evidence::CaseStore* store, const std::string& command);

// Journals run.end {"run_seq", "result"}. A failure of either is kept by the journal (it becomes
// unhealthy, the record is among its lost_records()), which is where callers look for it.
void EndRun(evidence::CaseStore* store, int64_t run_seq, const std::string& result);

}  // namespace cordon::response
