// What a step's Observe() returned in the Step::Run() under way, for its DoApply: read a moment
// before, so DoApply acts on live state without reading it again (the recorded "before" may be an
// earlier run's). Step::Run sets StepContext::observed for DoApply only, so a DoApply called any
// other way (release's DoUndo, a test) finds none and reads for itself. It is the context's, not a
// thread's: a helper thread DoApply hands its context to sees it as well.
#pragma once

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

// ctx.observed, else what `observe` reads now.
template <class ObserveFn>
Result<Json> ObservedOr(const StepContext& ctx, ObserveFn observe) {
  if (ctx.observed != nullptr) return *ctx.observed;
  return observe();
}

// Transitional, until steps/snapshot.cc (owned by another branch just now) passes its context to
// ObservedOr: the same observation, which Step::Run also sets on its thread around DoApply. Delete
// with its last caller.
const Json* CurrentObservation();
template <class ObserveFn>
Result<Json> ObservedOr(ObserveFn observe) {
  if (const Json* o = CurrentObservation()) return *o;
  return observe();
}

namespace detail {
// Sets the thread's observation (CurrentObservation) for its lifetime (step.cc, around DoApply).
class ObservationScope {
 public:
  explicit ObservationScope(const Json* observed);
  ~ObservationScope();
  ObservationScope(const ObservationScope&) = delete;
  ObservationScope& operator=(const ObservationScope&) = delete;

 private:
  const Json* saved_;
};
}  // namespace detail

}  // namespace cordon::response
