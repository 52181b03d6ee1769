// Pacing per service; see pacing.h for the sources of the numbers.
#include "aws/retry/pacing.h"

#include "aws/retry/ec2_buckets.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

constexpr RateLimit kElbDescribe{10, 40};
constexpr RateLimit kElbRegistration{4, 20};
constexpr RateLimit kElbMutating{5, 10};

// The registration actions of both API versions (v2: targets; v1: instances).
bool IsElbRegistration(std::string_view operation) {
  return operation == "RegisterTargets" || operation == "DeregisterTargets" ||
         operation == "RegisterInstancesWithLoadBalancer" ||
         operation == "DeregisterInstancesFromLoadBalancer";
}

}  // namespace

Pace PaceFor(std::string_view service, std::string_view operation, const Json& input, RateLimit fallback,
             std::optional<double> max_rate) {
  const std::string name(service);
  if (max_rate) return Pace{name, RateLimit{*max_rate, 1}};
  // A client with pacing turned off (unit tests, benches) stays unpaced whatever the service.
  if (fallback.per_second <= 0) return Pace{name, fallback};
  if (service == "ec2") {
    Ec2Bucket bucket = Ec2RequestBucket(operation, input);
    return Pace{name + "/" + bucket.name, bucket.limit};
  }
  if (service == "elb" || service == "elbv2") {
    // ELB's buckets are per category, not per action.
    if (StartsWith(operation, "Describe")) return Pace{name + "/describe", kElbDescribe};
    if (IsElbRegistration(operation)) return Pace{name + "/registration", kElbRegistration};
    return Pace{name + "/mutating", kElbMutating};
  }
  return Pace{name, fallback};
}

}  // namespace cordon::aws
