// The network checks of a region: security groups open to the internet (with the ENIs and instances
// that use them and whether those have public addresses) and groups no one uses.
#pragma once

#include "posture/region_scan.h"

namespace cordon::posture {

// "sg.world_open": one finding per inbound rule open to 0.0.0.0/0 or ::/0. Critical when it opens an
// admin port to an ENI with a public address, high for an admin port otherwise, medium for other
// ports, low when no ENI uses the group. "sg.unused": a group no ENI uses (the VPC's default group,
// which cannot be deleted, is left out).
void CheckSecurityGroups(RegionScan& scan);

}  // namespace cordon::posture
