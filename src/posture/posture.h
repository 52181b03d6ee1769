// `cordon posture`: the account's exposure and detective-control readiness, across regions.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "posture/finding.h"

namespace cordon::posture {

struct PostureOptions {
  std::vector<std::string> regions;  // where to look; empty: the client's region
  std::string instance_id;           // the suspect (--instance), or empty
  // With instance_id: only the suspect's exposure (the open rules of every group, so that each names who
  // uses it; the suspect's IMDS, volumes, SSM agent and role), no detective controls. Triage's share.
  bool exposure_only = false;
};

// Assesses every region concurrently: security groups, instances (IMDS, volumes, SSM, roles) and the
// detective controls; with an instance, its share (flow logs of its VPC, Inspector findings).
// A check whose API fails is in not_assessed with the reason, never reported clean. Errors only when
// the instance cannot be found (kNotFound, as ResolveTarget says) or is not an instance id.
Result<Posture> AssessPosture(aws::Client& client, const PostureOptions& options);

// AssessPosture as JSON (finding.h's ToJson), for the case report and triage; `share_of` non-empty
// keeps only the findings naming those ids (ShareOf).
Result<Json> PostureJson(aws::Client& client, const PostureOptions& options,
                         const std::vector<std::string>& share_of = {});

}  // namespace cordon::posture
