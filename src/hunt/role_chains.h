// Following AssumeRole from the instance's sessions: what the roles it assumed did.
#pragma once

#include <vector>

#include "base/error.h"
#include "hunt/results.h"
#include "hunt/scanner.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

// How many AssumeRole hops are followed from an instance session. Role chaining is rarely deeper than
// two in practice; the bound keeps a hostile trail (a session assuming itself over and over) from
// rereading the sources forever.
inline constexpr int kMaxRoleChainHops = 5;

// After RunHunt: a successful sts AssumeRole* made with a session proven to be the instance's
// (issued_by_ec2, sessions.h) created credentials whose own records name neither the instance nor its
// role, so the first scan cannot have kept them (unless they came from the instance's own address).
// This rescans the CloudTrail sources for those access keys (responseElements.credentials.accessKeyId),
// adds every record made with them to results->events with CloudTrailEvent::assumed_from set to the
// session that assumed it, and repeats for the sessions those created, up to kMaxRoleChainHops.
// A record already in the results is marked, not added twice. Sigma rules are not rerun on the added
// records. Nothing is reread when no AssumeRole was made.
Status FollowRoleChains(const Selectors& selectors, const std::vector<SourceSpec>& sources,
                        const ScanOptions& options, HuntResults* results);

}  // namespace cordon::hunt
