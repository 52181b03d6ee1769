// A plan: the steps one target will run, with their dependencies. Built from the step table and
// the --skip/--only selection; printed by `contain --plan`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "cloud/target.h"
#include "response/step.h"

namespace cordon::response {

struct PlanStep {
  std::string name;
  std::string summary;
  std::vector<std::string> after;  // names of plan steps that must finish first
  bool destructive = false;
  bool evidence = false;
  std::unique_ptr<Step> step;
};

struct Plan {
  cloud::ResolvedTarget target;
  std::vector<PlanStep> steps;  // in rule-2 order; `after` only names earlier steps
};

struct StepSelection {
  std::vector<std::string> skip;  // --skip
  std::vector<std::string> only;  // --only (record-pre-state is always kept: rule 1)
};

// Checks the names in `selection` against the step table (kInvalidArgument naming the unknown
// step and the closest one, or refusing to skip record-pre-state).
Status ValidateSelection(const StepSelection& selection);

// The contain plan for `target`. A dependency on a step left out of the plan is replaced by that
// step's own dependencies, so the order among the remaining steps is kept.
Plan BuildContainPlan(const cloud::ResolvedTarget& target, const StepSelection& selection);

// One step of a plan that is not built from the step table (lab, cleanup, recover).
PlanStep MakePlanStep(std::unique_ptr<Step> step, std::string summary, std::vector<std::string> after,
                      bool destructive);

// "1. record-pre-state  ...\n2. tag (after record-pre-state) ..." for --plan and the confirmation.
std::string FormatPlan(const Plan& plan);
// Its parts: "i-... (region, vpc, state)\n" and one numbered step line.
std::string FormatPlanHeader(const Plan& plan);
std::string FormatPlanStep(int number, const PlanStep& step);

}  // namespace cordon::response
