#include "report/response_summary.h"

#include <cstdio>

#include "base/colour.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"

namespace cordon::report {

void PrintStepLine(const cloud::ResolvedTarget& target, const response::StepReport& r) {
  SafePrintf(stderr, "%s  %-18s ", target.instance_id.c_str(), r.step.c_str());
  if (r.status == response::StepStatus::kFailed) {
    // The word is cordon's, painted; the error after it is AWS's, neutralized.
    std::fputs(Paint(stderr, Colour::kFailure, "FAILED:").c_str(), stderr);
    SafePrintf(
        stderr, " %s%s\n", OneLine(r.error.ToString()).c_str(),
        r.missing_permission.empty() ? "" : (" (missing permission: " + r.missing_permission + ")").c_str());
    return;
  }
  // The detail quotes AWS (error messages, names): on the step's line.
  SafePrintf(stderr, "%s\n",
             OneLine(r.detail.empty() ? std::string(response::StepStatusName(r.status)) : r.detail).c_str());
}

namespace {

struct StepCounts {
  int done = 0, already = 0, failed = 0, skipped = 0;
};

StepCounts CountSteps(const response::TargetReport& t) {
  StepCounts c;
  for (const auto& s : t.steps) {
    if (s.status == response::StepStatus::kDone)
      ++c.done;
    else if (s.status == response::StepStatus::kAlreadyDone)
      ++c.already;
    else if (s.status == response::StepStatus::kFailed)
      ++c.failed;
    else
      ++c.skipped;
  }
  return c;
}

// Seconds until the target's network was isolated, when `isolated` names it.
const double* IsolatedAfter(const std::map<std::string, double>* isolated, const response::TargetReport& t) {
  if (isolated == nullptr) return nullptr;
  auto it = isolated->find(t.target.instance_id);
  return it == isolated->end() ? nullptr : &it->second;
}

void PrintTargetSummary(const response::TargetReport& t, const std::string& case_id, const std::string& verb,
                        const double* isolated_after) {
  const StepCounts c = CountSteps(t);
  std::string what;
  SafePrintf(stdout, "%s (%s): ", t.target.instance_id.c_str(), t.target.region.c_str());
  if (t.failed()) {
    std::fputs(Paint(stdout, Colour::kFailure, "NOT fully " + verb).c_str(), stdout);  // verb: cordon's
    what = ": " + std::to_string(c.failed) + " failed, " + std::to_string(c.skipped) +
           " not attempted; fix the cause and run the same command again";
  } else if (!t.changed()) {
    what = "already " + verb + " under case " + case_id + "; nothing changed";
  } else {
    what = verb + " under case " + case_id;
  }
  SafePrintf(stdout, "%s [%d done, %d already done, %d failed, %d not attempted]%s\n", what.c_str(), c.done,
             c.already, c.failed, c.skipped,
             t.partial() ? " (some evidence could not be captured; see the case notes)" : "");
  if (isolated_after != nullptr)
    SafePrintf(stdout, "  network isolated %.1f s after the run started\n", *isolated_after);
  for (const auto& s : t.steps)
    if (!s.missing_permission.empty())
      SafePrintf(stdout, "  %s needs %s (`cordon iam-policy` prints the whole policy)\n", s.step.c_str(),
                 s.missing_permission.c_str());
}

}  // namespace

void PrintResponseSummaryText(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                              const std::string& verb, const std::map<std::string, double>* isolated) {
  for (const auto& t : reports) PrintTargetSummary(t, case_id, verb, IsolatedAfter(isolated, t));
}

Json ResponseSummaryJson(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                         const std::string& verb, const std::map<std::string, double>* isolated) {
  Json out = Json::array();
  for (const auto& t : reports) {
    Json steps = Json::array();
    for (const auto& s : t.steps) {
      Json j = {{"step", s.step}, {"status", response::StepStatusName(s.status)}, {"detail", s.detail}};
      if (s.status == response::StepStatus::kFailed) j["error"] = s.error.ToString();
      if (!s.missing_permission.empty()) j["missing_permission"] = s.missing_permission;
      steps.push_back(j);
    }
    Json one{{"instance_id", t.target.instance_id},
             {"region", t.target.region},
             {"case", case_id},
             {"result", t.failed() ? "failed" : (t.changed() ? verb : "unchanged")},
             {"partial", t.partial()},
             {"steps", steps}};
    if (const double* after = IsolatedAfter(isolated, t)) one["network_isolated_after_s"] = *after;
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace cordon::report
