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

}  // namespace cordon::response
