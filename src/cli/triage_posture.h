// The posture part of `cordon triage`: the suspect's own share of `cordon posture` (its groups open to
// the internet and who else uses them, with its public addresses; IMDSv1; unencrypted volumes; no SSM
// agent; an administrator-like role), from the posture's own checks limited to the suspect.
#pragma once

#include <string>

#include "base/json.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::cli {

struct TriagePosture {
  // posture::ToJson of the share (finding.h), or {"error": "..."} when the posture could not run.
  Json json;
  // Why the share is not complete (a check not assessed, or the error), in one line; empty when complete.
  std::string incomplete_reason;
};

// posture::PostureJson in `region` with the instance as the suspect, exposure checks only, kept to the
// findings naming the instance (posture::ShareOf). Never fails: a failure is reported inside the result.
TriagePosture RunTriagePosture(aws::Client& client, const std::string& region,
                               const std::string& instance_id);

}  // namespace cordon::cli
