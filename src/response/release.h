// `release`: undoes a case's containment, restoring each target's recorded pre-state exactly.
//
// For every target with a recorded pre-state, the undoable contain steps the journal shows done are
// undone in the reverse of the contain order (credentials, Elastic IPs, network, load balancers,
// Auto Scaling, protection, tags), each journaled as "release:<step>" with the same intent/outcome
// protocol, so an interrupted release resumes.
//
// Before anything changes, live state is read once (the instance, its ENIs: LiveState in drift.h)
// and every done step not yet released assesses its own drift against it (Step::AssessDrift, in
// the step's file; docs/response.md, "Drift"). Reconcilable, and not drift: a property already back
// at its recorded value (an ENI in its recorded groups, the Elastic IP on its ENI, the instance back
// in its group, the recorded profile associated), or still as containment left it. Unreconcilable
// drift, each listed:
//   - the instance terminated or gone;
//   - an ENI detached or deleted; a recorded security group deleted; an ENI's groups set by someone
//     else (neither cordon's isolation group, alone or with the case's allow group, nor the
//     recorded ones);
//   - an Elastic IP released, or associated elsewhere;
//   - a classic ELB or target group deleted;
//   - the Auto Scaling group deleted, or the instance now in another group;
//   - the recorded instance profile deleted, or another profile associated by someone else;
//   - held: the instance's cordon:case tag names another case (that case contained it since).
// Any of these refuses that target (nothing changed, the drift journaled as a note) unless
// options.force. With force, what can still be restored gets its recorded value (groups set by
// someone else, an Elastic IP associated elsewhere, another profile are overridden) and what cannot
// is skipped (a deleted ENI, group, address, load balancer, Auto Scaling group or profile; for a
// terminated instance every step but those that declare UndoWhenInstanceGone(): the credentials
// step's removal of the role's deny), journaled in a note, and the target reports partial. A held
// target is refused even with force: release it from the case that holds it.
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
  std::vector<std::string> refusals;  // "<instance> <step>: <drift>", one per drifted property, refused
                                      // (with force: only the held ones)
  std::vector<std::string> held;      // the refusals --force cannot override: held by another case
  std::vector<std::string> skipped;   // with force: "<instance> <step>: <drift>" left as it is
};

// `targets` empty: every target of the case. Installs the audit hook on `client`.
Result<ReleaseOutcome> ReleaseCase(aws::Client* client, evidence::CaseStore* store,
                                   const ResponseOptions& options, const std::vector<std::string>& targets,
                                   const ProgressFn& progress);

}  // namespace cordon::response
