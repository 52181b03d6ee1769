// Endpoint resolution: region -> partition (aws, aws-cn, aws-us-gov, ...) -> URL and signing region,
// from botocore's partitions.json, with the global services' special cases and user overrides.
#pragma once

#include <string>

#include "aws/model/service_model.h"
#include "aws/protocol/protocol.h"
#include "base/error.h"

namespace cordon::aws {

// The partition id for a region ("aws", "aws-cn", "aws-us-gov", ...), or kInvalidArgument when the
// region is not a valid region name.
Result<std::string> PartitionOf(const std::string& region);

// Resolves where to send `service` calls in `region`. When `override_url` is non-empty it is used as
// is (scheme and port kept, trailing slash dropped) and S3 switches to path-style addressing.
Result<Endpoint> ResolveEndpoint(const ServiceModel& service, const std::string& region,
                                 const std::string& override_url);

}  // namespace cordon::aws
