// EC2 DescribeInstances by instance id, in one place: the ids in chunks, every page of each chunk.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::cloud {

// How many ids one DescribeInstances names (as contain's claim check always has).
inline constexpr size_t kInstanceIdsPerCall = 100;

// The instances of `ids` in `region` (empty: the client's), by instance id: one DescribeInstances per
// kInstanceIdsPerCall ids, each followed over every page. An id EC2 does not know fails the call as
// EC2 fails it (InvalidInstanceID.NotFound); an id it answers without is absent from the map.
Result<std::map<std::string, Json>> DescribeInstancesById(aws::Client& client, const std::string& region,
                                                          const std::vector<std::string>& ids);

// The one instance `id`, or kNotFound "instance ID not found in REGION".
Result<Json> DescribeInstanceById(aws::Client& client, const std::string& region, const std::string& id);

}  // namespace cordon::cloud
