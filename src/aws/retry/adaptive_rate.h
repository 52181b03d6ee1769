// Adaptive slow-down of one token bucket after throttling, as the AWS SDKs' "adaptive" retry mode
// does it: a multiplicative cut on each throttling answer, then a CUBIC recovery.
//
// The SDKs and Tools Reference Guide ("Retry behavior", adaptive mode) describes client-side rate
// limiting whose rate drops on throttling errors and rises again on successes; botocore implements it
// in botocore/retries/adaptive.py with the CUBIC congestion window of botocore/retries/throttling.py
// (RFC 8312 with beta = 0.7 and C = 0.4), and a floor of 0.5 calls a second (retries/bucket.py):
//   on a throttle at time t_f, sending at rate r:  w_max = r, rate = r * beta,
//                                                  K = cbrt(w_max * (1 - beta) / C)
//   later, at time t:                              rate = C * (t - t_f - K)^3 + w_max
// so the rate climbs back to w_max in K seconds (about 1.5 s from 5 calls/s, 2.5 s from 20), slowly
// near w_max, then faster beyond it, up to the bucket's documented rate, where adaptation ends.
//
// One difference from botocore, on purpose: answers to calls sent before the last cut do not cut
// again. A fleet response has many calls in flight; without this, a burst of N throttled answers
// that reflect one overload would cut the rate by beta^N (as TCP, which reduces once per window).
#pragma once

#include <optional>

#include "base/time.h"

namespace cordon::aws {

class AdaptiveRate {
 public:
  static constexpr double kBeta = 0.7;
  static constexpr double kScale = 0.4;  // C, in calls/s per s^3
  static constexpr double kMinRate = 0.5;

  // The rate to send at now: at most `ceiling`, the bucket's configured rate (> 0), and `ceiling`
  // itself until the first throttle and once recovered.
  double Rate(TimePoint now, double ceiling) const;

  // A throttling answer to a call sent at `sent_at`, received at `now`, while sending at
  // Rate(now, ceiling). Returns whether the rate was cut (false: the call predates the last cut).
  bool OnThrottle(TimePoint sent_at, TimePoint now, double ceiling);

 private:
  struct Cut {
    TimePoint at;
    double w_max;  // the rate when throttled
    double k;      // seconds from `at` until the curve is back at w_max
  };
  std::optional<Cut> cut_;
};

}  // namespace cordon::aws
