// `release`: undoes a case's containment, restoring each target's recorded pre-state exactly.
//
// For every target with a recorded pre-state, the undoable contain steps the journal shows done are
// undone in the reverse of the contain order (credentials, Elastic IPs, network, load balancers,
// Auto Scaling, protection, tags), each journaled as "release:<step>" with the same intent/outcome
// protocol, so an interrupted release resumes. Before changing anything, every step's CheckDrift
// reads live state; drift it cannot reconcile (the ENI's groups are no longer cordon's isolation
// group, the Auto Scaling group was deleted, ...) refuses the whole target unless options.force.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "evidence/case_store.h"
#include "response/executor.h"
#include "response/options.h"

namespace cordon::response {

struct ReleaseOutcome {
  std::vector<TargetReport> reports;
  std::vector<std::string> refusals;  // one line per drift found (release refused for that target)
};

// `targets` empty: every target of the case. Installs the audit hook on `client`.
Result<ReleaseOutcome> ReleaseCase(aws::Client* client, evidence::CaseStore* store,
                                   const ResponseOptions& options, const std::vector<std::string>& targets,
                                   const ProgressFn& progress);

}  // namespace cordon::response
