// The detective controls of a region: what would have seen the attack, and what will see the next.
#pragma once

#include <map>
#include <string>

#include "posture/region_scan.h"

namespace cordon::posture {

// What the suspect's share needs from a region's checks.
struct DetectiveState {
  bool flow_logs_assessed = false;
  std::map<std::string, bool> vpc_flow_logs;  // VPC id -> has an active VPC-level flow log
  std::string inspector = "unknown";          // EC2 scanning "on", "off", or "unknown"
};

// "cloudtrail.off" (no logging trail covers the region), "cloudtrail.not_multi_region",
// "cloudtrail.no_validation"; "vpc.no_flow_logs" per VPC; "config.not_recording".
void CheckCloudTrail(RegionScan& scan);
void CheckFlowLogs(RegionScan& scan, DetectiveState* state);
void CheckConfig(RegionScan& scan);

// "guardduty.off", "guardduty.runtime_monitoring_off", "guardduty.malware_protection_off",
// "securityhub.off", "macie.off", "inspector.ec2_off".
void CheckGuardDuty(RegionScan& scan);
void CheckSecurityHub(RegionScan& scan);
void CheckMacie(RegionScan& scan);
void CheckInspector(RegionScan& scan, DetectiveState* state);

}  // namespace cordon::posture
