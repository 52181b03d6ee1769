// CUBIC recovery after throttling; see adaptive_rate.h for the formulas and where they come from.
#include "aws/retry/adaptive_rate.h"

#include <algorithm>
#include <cmath>

namespace cordon::aws {
namespace {

double SecondsBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

double AdaptiveRate::Rate(TimePoint now, double ceiling) const {
  if (!cut_) return ceiling;
  if (now < cut_->at) now = cut_->at;  // a clock that moved back: hold at the cut
  const double t = SecondsBetween(cut_->at, now) - cut_->k;
  double rate = kScale * t * t * t + cut_->w_max;
  return std::min(std::max(rate, kMinRate), ceiling);
}

bool AdaptiveRate::OnThrottle(TimePoint sent_at, TimePoint now, double ceiling) {
  if (cut_ && sent_at < cut_->at) return false;
  const double w_max = Rate(now, ceiling);
  const double k = std::cbrt(w_max * (1 - kBeta) / kScale);
  // From here the curve starts at C * (-K)^3 + w_max = beta * w_max.
  cut_ = Cut{now, w_max, k};
  return true;
}

}  // namespace cordon::aws
