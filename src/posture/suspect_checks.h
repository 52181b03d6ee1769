// The suspect's own part of the posture (posture --instance): whether its VPC had flow logs, and its
// Inspector findings (vulnerability scanning) when Inspector scans EC2 in its region.
#pragma once

#include "posture/detective_checks.h"
#include "posture/region_scan.h"

namespace cordon::posture {

struct Suspect {
  std::string instance_id, region, vpc_id;
};

// Adds the suspect's view, and one "inspector.finding" per active Inspector finding on the instance
// (severity from Inspector's, evidence the instance and the finding ARN, the fix a patch run through
// SSM). With Inspector off or unknown there is nothing to list; the view says which.
void CheckSuspect(RegionScan& scan, const Suspect& suspect, const DetectiveState& state);

}  // namespace cordon::posture
