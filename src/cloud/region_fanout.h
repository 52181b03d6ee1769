// How many regions a search across regions (finding a target, the posture scan) reads at once.
#pragma once

#include <cstddef>

namespace cordon::cloud {

// Eight: the aws partition's thirty-odd regions are read in about four rounds of one region's latency;
// EC2 throttles per account and Region, so regions read side by side do not slow each other; and eight
// leaves most of the process's helper threads (base/thread_pool.h, kDefaultHelperBudget) to the work
// nested inside each region.
inline constexpr size_t kRegionConcurrency = 8;

}  // namespace cordon::cloud
