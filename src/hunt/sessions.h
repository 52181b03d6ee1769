// Instance role sessions seen in CloudTrail, and the credential-exfiltration rule over them.
#pragma once

#include <vector>

#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

// Every (instance role session, source IP) pair among the `by` events whose identity is an instance
// profile session: an assumed-role arn whose session name is an instance id (assumed-role/<role>/i-...)
// that is one of --instance, or of a --role when no --instance was given. Calls AWS services make on the
// session's behalf (sourceIPAddress a service name such as ec2.amazonaws.com, or "AWS Internal") are left
// out: they are not a use of the credentials from somewhere. Sorted by first sight.
std::vector<SessionUse> InstanceSessions(const HuntResults& results, const Selectors& selectors);

// The exfiltration findings: the pairs above whose source IP is not one of the instance's own (--ip).
// Without --ip the instance's addresses are unknown, so nothing is flagged (the sessions are still listed).
std::vector<SessionUse> Exfiltration(const std::vector<SessionUse>& sessions, const Selectors& selectors);

// Whether text is an IPv4 or IPv6 literal (not a service host name).
bool IsIpLiteral(std::string_view text);

}  // namespace cordon::hunt
