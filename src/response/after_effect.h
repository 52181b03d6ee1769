// Mutating calls whose answer is lost after they took effect (issue 13, "Correct on real AWS").
//
// A request can be applied and its answer still fail: a 5xx or a throttle from a front end after the
// backend acted, a connection lost after the request was sent ("Ensuring idempotency in Amazon EC2 API
// requests": operations "might also time out or encounter other server issues before they complete,
// even though the request has already returned a result"). The client retries those failures
// (aws/retry/retry_strategy.h), so the retry meets the world its first attempt made:
//   - calls that are idempotent (CreateTags, ModifyInstanceAttribute, PutRolePolicy, SetInstance-
//     Protection, DeregisterTargets, UpdateAutoScalingGroup, ...) succeed again, nothing to do;
//   - calls that act on a state the first attempt left behind fail with the error AWS gives a repeat
//     (DetachInstances: ValidationError "... is not part of Auto Scaling group ..."; Replace-
//     IamInstanceProfileAssociation: InvalidAssociationID.NotFound). AcceptAfterEffect takes such a
//     failure as done only when a read of live state then shows the effect asked for;
//   - creates without a client token (CreateSnapshots, CreateSnapshot) would be made twice: they are
//     sent on a fresh connection each time, and sent again by the client only after their step's
//     CallOptions::find_effect looked for what the lost one made (steps/snapshot.cc, a cordon:request
//     tag unique to the request).
#pragma once

#include <initializer_list>
#include <string_view>

#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

// Whether `r` failed with one of `codes`, the answer AWS gives a repeat of a request whose first
// sending may have done what was asked: after the client's retry (the call's attempts, in its
// aws.call record), or after a re-send the client never saw (after_effect.cc).
bool FailedAsRepeat(const Result<Json>& r, std::initializer_list<std::string_view> codes);

// `r`, or an empty object when it FailedAsRepeat with one of `codes` and `took_effect()` (a read of
// live state, Result<bool>) says what was asked is done. An error of `took_effect` is returned.
template <class Check>
Result<Json> AcceptAfterEffect(Result<Json> r, std::initializer_list<std::string_view> codes,
                               Check took_effect) {
  if (r || !FailedAsRepeat(r, codes)) return r;
  Result<bool> done = took_effect();
  if (!done) return MakeError(done.error());
  if (!*done) return r;
  return Json::object();
}

}  // namespace cordon::response
