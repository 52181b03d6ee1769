// The time until each target's network was isolated, from the start of a contain run (issue 13: what
// a fleet response is judged by): in the summary (text and --output json) and in the case journal.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "cloud/target.h"
#include "evidence/case_store.h"
#include "response/step.h"

namespace cordon::cli {

class IsolationTimes {
 public:
  // The clock starts now. `store` must outlive this.
  explicit IsolationTimes(evidence::CaseStore* store);

  // For the executor's progress callback (called one at a time): notes isolate-network's completion,
  // and journals it (evidence::kind::kNetworkIsolated).
  void OnStep(const cloud::ResolvedTarget& target, const response::StepReport& report);

  // Instance id -> seconds, for the targets isolated so far.
  std::map<std::string, double> seconds() const;

 private:
  evidence::CaseStore* store_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mu_;
  std::map<std::string, double> seconds_;
};

}  // namespace cordon::cli
