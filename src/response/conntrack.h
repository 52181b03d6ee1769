// Connection-tracking timeouts of an ENI (ModifyNetworkInterfaceAttribute
// ConnectionTrackingSpecification; DescribeNetworkInterfaces ConnectionTrackingConfiguration).
// isolate-network sets them to EC2's minimums so that the tracked connections a group swap does
// not cut (DESIGN.md rule 3) expire within a minute of going idle, and release restores the
// recorded values. Limits from the EC2 API Reference, ConnectionTrackingSpecificationRequest:
// TcpEstablishedTimeout 60..432000 s (default 432000; 350 on Nitro v6 types), UdpStreamTimeout
// 60..180 s (default 180), UdpTimeout 30..60 s (default 30). Nitro-based instances only.
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

// {"TcpEstablishedTimeout": 60, "UdpStreamTimeout": 60, "UdpTimeout": 30}
Json MinimalConntrack();

// An ENI's ConnectionTrackingConfiguration (boto3 shape), or null when it has none (never set).
Json ConntrackOf(const Json& eni);

// The values a recorded configuration stands for: each missing field (or a null configuration)
// takes EC2's documented default (432000, 180, 30). A Nitro v6 type's TCP default is 350 s, which
// no API reports: restoring a never-set ENI there sets 432000 s, and DefaultsUsed() says so.
Json EffectiveConntrack(const Json& recorded);
bool DefaultsUsed(const Json& recorded);

// Whether a live configuration (null: never set) has the same three values as `effective`.
bool SameConntrack(const Json& live, const Json& effective);

// "TCP established 60 s, UDP stream 60 s, UDP 30 s"; "not set" for null.
std::string DescribeConntrack(const Json& config);

// Sets eni_id's three timeouts to `config` (all three fields present) in one call; the API takes
// one attribute per call, so never together with Groups.
Status SetConntrack(const StepContext& ctx, const std::string& eni_id, const Json& config);

}  // namespace cordon::response
