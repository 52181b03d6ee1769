// The fields a CloudTrail record can have, for `cordon sigma lint`: which field paths can name a value in
// a real record, and the shapes some of their values always have.
//
// Source: AWS CloudTrail User Guide, "CloudTrail record contents for management, data, and network
// activity events" (cloudtrail-event-reference-record-contents) and "CloudTrail userIdentity element"
// (cloudtrail-event-reference-user-identity), checked against the keys of the records in
// tests/data/cloudtrail. requestParameters, responseElements, additionalEventData, serviceEventDetails,
// eventContext, edgeDeviceDetails and userIdentity's onBehalfOf/inScopeOf/webIdFederationData hold what
// each service and API puts there: any path below them is accepted (open), since no fixed list exists.
#pragma once

#include <string>
#include <vector>

namespace cordon::hunt::sigma {

struct FieldCheck {
  enum class Status { kKnown, kOpen, kUnknown };
  Status status = Status::kUnknown;
  // kUnknown: the path up to and including the first part CloudTrail does not have ("userIdentity.role").
  std::string unknown;
  // kUnknown: the fields CloudTrail has where the path went wrong (for the message).
  std::vector<std::string> known_here;
};

// Whether `parts` (a Sigma field split at its dots) can reach a value of a CloudTrail record.
FieldCheck CheckCloudTrailField(const std::vector<std::string>& parts);

// What a value of `field` must look like, when CloudTrail fixes it; empty when any string may occur.
// `literal` is a rule's value without wildcards, compared case-insensitively as Sigma compares it.
// Returns the reason the value cannot occur, or "" when it can.
std::string CloudTrailValueProblem(const std::string& field, const std::string& literal);

// The same for a pattern's last literal piece when the pattern ends with it (`*.amazonaws.com`): only
// fields whose values have a fixed ending are checked. Returns "" when the ending can occur.
std::string CloudTrailEndingProblem(const std::string& field, const std::string& ending);

}  // namespace cordon::hunt::sigma
