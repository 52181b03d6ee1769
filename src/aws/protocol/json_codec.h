// Converting between boto3-shaped JSON values and the JSON bodies of the json and rest-json protocols.
#pragma once

#include "aws/model/service_model.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::aws::detail {

// Input value -> wire JSON: member names become locationName when `use_location_name` (rest-json),
// timestamps use the member's format (default unixTimestamp), blobs become base64.
Result<Json> JsonToWire(const ServiceModel& service, const Json& ref, const Json& shape, const Json& value,
                        bool use_location_name);
// Wire JSON -> output value shaped as boto3 returns it.
Json JsonFromWire(const ServiceModel& service, const Json& shape, const Json& wire, bool use_location_name);

}  // namespace cordon::aws::detail
