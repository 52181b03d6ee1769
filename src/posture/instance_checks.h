// The instance checks of a region: IMDSv1 allowed, unencrypted attached volumes, no SSM agent, and
// instance roles with administrator-like policies.
#pragma once

#include "posture/region_scan.h"
#include "posture/role_checks.h"

namespace cordon::posture {

// "instance.imdsv1" (high), "volume.unencrypted" (medium), "instance.no_ssm" (low, running instances
// SSM does not list as managed), and through `roles` "role.admin". Terminated instances are left out.
// `only` (an instance id) checks that instance alone, and only its volumes.
void CheckInstances(RegionScan& scan, RoleChecker& roles, const std::string& only = "");

}  // namespace cordon::posture
