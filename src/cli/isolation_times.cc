#include "cli/isolation_times.h"

#include <cmath>

namespace cordon::cli {

IsolationTimes::IsolationTimes(evidence::CaseStore* store) : store_(store) {}

void IsolationTimes::OnStep(const cloud::ResolvedTarget& target, const response::StepReport& report) {
  using response::StepStatus;
  if (report.step != "isolate-network") return;
  if (report.status != StepStatus::kDone && report.status != StepStatus::kAlreadyDone) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double ms_rounded = std::round(elapsed * 1000) / 1000;
  {
    std::lock_guard<std::mutex> lock(mu_);
    seconds_[target.instance_id] = ms_rounded;
  }
  // Safe to drop: the step's own outcome is journaled already; a failed append is sticky and named
  // among the lost records.
  (void)store_->journal().Append(evidence::kind::kNetworkIsolated, target.instance_id, report.step,
                                 Json{{"step", report.step},
                                      {"status", response::StepStatusName(report.status)},
                                      {"elapsed_s", ms_rounded}});
}

std::map<std::string, double> IsolationTimes::seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seconds_;
}

}  // namespace cordon::cli
