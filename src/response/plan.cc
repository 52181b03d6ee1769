#include "response/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "response/name_list.h"
#include "response/steps/steps.h"

namespace cordon::response {
Status ValidateSelection(const StepSelection& selection) {
  std::vector<std::string> names;
  for (const StepInfo& s : ContainSteps()) names.emplace_back(s.name);
  for (const auto* list : {&selection.skip, &selection.only}) {
    for (const std::string& n : *list) {
      if (Contains(names, n)) continue;
      std::string message = "unknown step '" + n + "'";
      auto near = ClosestMatches(n, names, 1);
      if (!near.empty()) message += ", did you mean '" + near[0] + "'?";
      std::string all;
      for (const std::string& s : names) all += (all.empty() ? "" : ", ") + s;
      return MakeError(ErrorKind::kInvalidArgument, message + " (steps: " + all + ")");
    }
  }
  if (Contains(selection.skip, "record-pre-state"))
    return MakeError(ErrorKind::kInvalidArgument,
                     "record-pre-state cannot be skipped: release needs the state before containment");
  return Ok();
}

Plan BuildContainPlan(const cloud::ResolvedTarget& target, const StepSelection& selection) {
  Plan plan;
  plan.target = target;
  std::map<std::string, std::vector<std::string>> deps;  // effective dependencies of every table step
  std::set<std::string> kept;
  for (const StepInfo& info : ContainSteps()) {
    std::string name(info.name);
    bool keep = name == "record-pre-state" || ((selection.only.empty() || Contains(selection.only, name)) &&
                                               !Contains(selection.skip, name));
    // A network ACL is opt-in only (rule 3): in the plan only when --only names it (subnet_selection.h).
    if (name == "isolate-subnet") keep = Contains(selection.only, name) && !Contains(selection.skip, name);
    // Dependencies on left-out steps become those steps' own dependencies.
    std::vector<std::string> effective;
    for (std::string_view a : info.after) {
      std::string dep(a);
      if (kept.count(dep)) {
        if (!Contains(effective, dep)) effective.push_back(dep);
      } else {
        for (const std::string& d : deps[dep])
          if (!Contains(effective, d)) effective.push_back(d);
      }
    }
    deps[name] = effective;
    if (!keep) continue;
    kept.insert(name);
    PlanStep ps;
    ps.name = name;
    ps.summary = std::string(info.summary);
    ps.after = effective;
    ps.destructive = info.destructive;
    ps.evidence = info.evidence;
    ps.step = info.make();
    plan.steps.push_back(std::move(ps));
  }
  return plan;
}

PlanStep MakePlanStep(std::unique_ptr<Step> step, std::string summary, std::vector<std::string> after,
                      bool destructive) {
  PlanStep p;
  p.name = std::string(step->name());
  p.summary = std::move(summary);
  p.after = std::move(after);
  p.destructive = destructive;
  p.step = std::move(step);
  return p;
}

std::string FormatPlanHeader(const Plan& plan) {
  return plan.target.instance_id + " (" + plan.target.region +
         (plan.target.vpc_id.empty() ? "" : ", " + plan.target.vpc_id) +
         (plan.target.state.empty() ? "" : ", " + plan.target.state) + ")\n";
}

std::string FormatPlanStep(int number, const PlanStep& s) {
  std::string out = "  " + std::to_string(number) + ". " + s.name;
  out += std::string(s.name.size() < 18 ? 18 - s.name.size() : 1, ' ') + s.summary;
  if (!s.after.empty()) {
    out += "  [after ";
    for (size_t k = 0; k < s.after.size(); ++k) out += (k ? ", " : "") + s.after[k];
    out += "]";
  }
  return out + "\n";
}

std::string FormatPlan(const Plan& plan) {
  std::string out = FormatPlanHeader(plan);
  int i = 1;
  for (const PlanStep& s : plan.steps) out += FormatPlanStep(i++, s);
  return out;
}

}  // namespace cordon::response
