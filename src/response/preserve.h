// `preserve`: snapshot sets of one instance as a time series, with its metadata, and no
// containment. Each round is the step "preserve-snapshot-<n>" (snapshots tagged cordon:set=preserve-<n>)
// plus a metadata evidence file (the instance's full state at that time). Numbering continues the
// case's series; a round a crash interrupted is finished first, never duplicated.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "aws/client.h"
#include "evidence/case_store.h"
#include "response/executor.h"
#include "response/options.h"

namespace cordon::response {

// The round the next Preserve of `instance` starts with: an unfinished one of an earlier run, else
// the one after the last done (1 for a new series).
int FirstPreserveRound(evidence::CaseStore& store, const std::string& instance);

// Runs `count` rounds `every` apart (sleeping with `sleep`), returning one report with every step.
// Stops at the first failed round, and takes no further snapshot set once the case journal failed
// (the rounds left are reported not attempted; the report's journal_error and lost_records say why).
TargetReport Preserve(aws::Client* client, evidence::CaseStore* store, const ResponseOptions& options,
                      const cloud::ResolvedTarget& target, int count, std::chrono::seconds every,
                      const ProgressFn& progress, const std::function<void(std::chrono::seconds)>& sleep);

}  // namespace cordon::response
