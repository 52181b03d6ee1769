// Renders a hunt description as queries for other engines, for data that outgrows one machine:
// Amazon Athena SQL (and the table DDL it runs on), CloudWatch Logs Insights, Splunk SPL, OpenSearch.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

// `target` is one of athena, athena-ddl, insights, spl, opensearch. Pure text generation: the same
// selectors always give the same text. The rules follow the local engine (docs/hunt.md): a selector is a
// delimited token in userIdentity arn/principalId/accessKeyId or the source IP for "by", in
// requestParameters/responseElements/resources for "on"; flow records aggregate per peer, port (dstport),
// protocol, direction and action. Engines whose regex dialects differ get the closest equivalent.
Result<std::string> EmitQueries(std::string_view target, const Selectors& selectors);

// The conditions --emit athena puts after a CloudTrail query's WHERE for `selectors`: "\n  AND (by or
// on the instance)" when there are selectors, then the time window's lines; "" when neither is given.
std::string AthenaCloudTrailSelection(const Selectors& selectors);

// The table names the Athena SQL and DDL use.
inline constexpr std::string_view kAthenaCloudTrailTable = "cloudtrail_logs";
inline constexpr std::string_view kAthenaFlowTable = "vpc_flow_logs";

}  // namespace cordon::hunt
