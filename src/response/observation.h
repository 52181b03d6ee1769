// What a step's Observe() returned in the Step::Run() under way on this thread, for its DoApply: read
// a moment before, so DoApply acts on live state without reading it again (the recorded "before" may
// be an earlier run's). Step::Run calls Observe and DoApply on one thread, one after the other; the
// observation is set between them only, so a DoApply called any other way (release's DoUndo, a
// helper thread) finds none and reads for itself.
#pragma once

#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

// The observation of the Run() under way on this thread, or null outside its DoApply.
const Json* CurrentObservation();

// CurrentObservation(), else what `observe` reads now.
template <class ObserveFn>
Result<Json> ObservedOr(ObserveFn observe) {
  if (const Json* o = CurrentObservation()) return *o;
  return observe();
}

namespace detail {
// Sets the current observation for its lifetime (step.cc, around DoApply).
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
