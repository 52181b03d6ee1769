// What `release --plan` prints: for each of a case's targets, the contain steps release will undo,
// newest first, each with what it restores (read from the journal's records of what contain did),
// and the drift that would make release refuse (or, with --force, skip) a target. Only reads: the
// same done steps and drift assessment as the release itself (release_undo.h).
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/json.h"
#include "evidence/case_store.h"
#include "response/options.h"

namespace cordon::response {

struct ReleaseStepPlan {
  std::string step;                   // the contain step undone ("isolate-network")
  bool already_released = false;      // a resumed release: journaled done, not run again
  std::vector<std::string> restores;  // one line per thing set back
};

struct ReleaseTargetPlan {
  std::string instance_id, region;
  std::string error;                   // the journal or live state could not be read: nothing is known
  std::vector<ReleaseStepPlan> steps;  // in the order release runs them
  std::vector<std::string> drift;      // "<step>: <what>", every drifted property
  bool refused = false;                // release would refuse this target (with these options)
  bool held = false;                   // ... because another case holds it (--force cannot override)
};

// One plan per recorded target of the case (`targets` empty: all). kNotFound when the case has no
// recorded pre-state for them (never contained). Calls AWS only to read.
Result<std::vector<ReleaseTargetPlan>> PlanRelease(aws::Client* client, evidence::CaseStore* store,
                                                   const ResponseOptions& options,
                                                   const std::vector<std::string>& targets);

std::string FormatReleasePlan(const std::vector<ReleaseTargetPlan>& plans, const std::string& case_id);
// {"case", "plans": [{"instance", "region", "refused", "held", "error", "drift", "steps": [{"step",
// "already_released", "restores"}]}]}
Json ReleasePlanToJson(const std::vector<ReleaseTargetPlan>& plans, const std::string& case_id);

}  // namespace cordon::response
