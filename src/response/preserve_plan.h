// What `preserve --plan` prints: the snapshot sets preserve will take of one instance, read from its
// live state (every EBS volume by id, device and size; the instance-store disks no snapshot can
// hold), their numbers in the case's series and times, and the metadata file beside each set.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/json.h"
#include "cloud/instance_inventory.h"

namespace cordon::response {

struct PreservePlanRequest {
  std::string case_id;
  bool case_exists = false;  // false: the case is made by the run
  int first_set = 1;         // FirstPreserveRound (1 for a new case)
  int count = 1;
  std::chrono::seconds every{0};
};

// One line per thing preserve will take or cannot take, in order.
std::vector<std::string> DescribePreserve(const cloud::InstanceInventory& inventory,
                                          const PreservePlanRequest& request);

std::string FormatPreservePlan(const cloud::InstanceInventory& inventory, const PreservePlanRequest& request);
// {"instance", "region", "case", "case_exists", "sets": [{"set", "step", "after_seconds"}], "volumes":
// [{"id", "device", "size_gib", "encrypted"}], "not_snapshotted": [...], "lines": [...]}
Json PreservePlanToJson(const cloud::InstanceInventory& inventory, const PreservePlanRequest& request);

}  // namespace cordon::response
