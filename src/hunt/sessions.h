// Instance role sessions seen in CloudTrail, and the credential-exfiltration rule over them.
#pragma once

#include <string_view>
#include <vector>

#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

// Every (session, source IP, VPC endpoint owner) triple among the `by` events whose identity is
//   - an instance profile session: an assumed-role arn whose session name is an instance id
//     (assumed-role/<role>/i-...) that is one of --instance, or of a --role when no --instance was given;
//   - or a session such a session created with AssumeRole (CloudTrailEvent::assumed_from, role_chains.h).
// Calls AWS services make on the session's behalf (sourceIPAddress a service name such as
// ec2.amazonaws.com, or "AWS Internal") are left out: they are not a use of the credentials from
// somewhere. Sorted by first sight.
//
// Attribution does not trust what the caller of AssumeRole or the network can shape:
//   - issued_by_ec2 holds only when a record of the session carries sessionContext.ec2RoleDelivery, which
//     CloudTrail sets on credentials EC2 delivered through the instance metadata service. Anyone who may
//     assume the role can name a session after any instance id (CloudTrail userIdentity element reference).
//   - own_ip holds only when the source IP is one of --ip and the call did not come through a VPC endpoint
//     of another account (vpcEndpointAccountId, CloudTrail record contents): private addresses repeat
//     across networks, so the instance's private IP seen through someone else's endpoint is not the
//     instance.
std::vector<SessionUse> InstanceSessions(const HuntResults& results, const Selectors& selectors);

// The exfiltration findings: the uses above whose source IP is not one of the instance's own (own_ip
// false), of sessions proven to be the instance's (issued_by_ec2, or assumed from such a session).
// Without --ip the instance's addresses are unknown, so nothing is flagged (the sessions are still listed).
std::vector<SessionUse> Exfiltration(const std::vector<SessionUse>& sessions, const Selectors& selectors);

// The uses of sessions named after the instance that no record proves EC2 issued: either a trail older
// than the ec2RoleDelivery field, or someone who assumed the instance's role under the instance's name.
// They are reported, never attributed to the instance.
std::vector<SessionUse> UnprovenSessions(const std::vector<SessionUse>& sessions);

// Whether text is an IPv4 or IPv6 literal (not a service host name).
bool IsIpLiteral(std::string_view text);

// The account of an arn (its fifth field), or "" when it has none.
std::string_view ArnAccount(std::string_view arn);

}  // namespace cordon::hunt
