#include "response/release_plan.h"

#include <algorithm>
#include <functional>
#include <map>

#include "response/live_state.h"
#include "response/release_undo.h"

namespace cordon::response {
namespace {

std::string List(const Json& items, const std::function<std::string(const Json&)>& name) {
  std::string out;
  if (!items.is_array()) return out;
  for (const Json& i : items) out += (out.empty() ? "" : ", ") + name(i);
  return out;
}

// An element of a list of names in the "before" (a load balancer, a target group, a group id), or "" when
// it is not a string. (A member of an object reads with base/json_fields.h's Str.)
std::string StringOrEmpty(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

// What each undo sets back, from the "before" its contain step recorded (the step files' Observe).
using Describe =
    std::function<void(const Json& before, const std::string& case_id, std::vector<std::string>* out)>;

const std::map<std::string, Describe>& Describers() {
  static const std::map<std::string, Describe> kByStep = {
      {"tag",
       [](const Json&, const std::string& case_id, std::vector<std::string>* out) {
         out->push_back("tag incident-response=released:" + case_id + " and drop the case's claim tag");
       }},
      {"protect",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         if (b.contains("disable_api_termination") && b["disable_api_termination"].is_boolean())
           out->push_back(std::string("termination protection back ") +
                          (b["disable_api_termination"].get<bool>() ? "on" : "off"));
         if (!Str(b, "shutdown_behavior").empty())
           out->push_back("shutdown behaviour back to " + Str(b, "shutdown_behavior"));
         for (const Json& v : b.value("volumes", Json::array()))
           if (v.value("delete_on_termination", false))
             out->push_back("DeleteOnTermination back on for " + Str(v, "volume_id") + " (" +
                            Str(v, "device") + ")");
       }},
      {"asg",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         if (Str(b, "group").empty()) return;
         out->push_back("back into Auto Scaling group " + Str(b, "group") + " (was " +
                        Str(b, "lifecycle_state") + "), its size as recorded");
         for (const Json& lb : b.value("group_load_balancers", Json::array()))
           out->push_back("the group registers it with classic load balancer " + StringOrEmpty(lb));
         for (const Json& tg : b.value("group_target_groups", Json::array()))
           out->push_back("the group registers it with target group " + StringOrEmpty(tg));
       }},
      {"deregister-lb",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         for (const Json& name : b.value("classic", Json::array()))
           out->push_back("register with classic load balancer " + StringOrEmpty(name));
         for (const Json& tg : b.value("target_groups", Json::array()))
           out->push_back("register with target group " + Str(tg, "arn") +
                          (tg.contains("port") ? " port " + tg["port"].dump() : ""));
       }},
      {"isolate-network",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         for (const Json& eni : b.value("enis", Json::array()))
           out->push_back(
               Str(eni, "id") + ": back to " +
               List(eni.value("groups", Json::array()), [](const Json& g) { return StringOrEmpty(g); }));
       }},
      {"disassociate-eip",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         for (const Json& a : b.value("addresses", Json::array()))
           out->push_back(Str(a, "public_ip") + " (" + Str(a, "allocation_id") + ") back on " +
                          Str(a, "network_interface_id") + " " + Str(a, "private_ip"));
       }},
      {"credentials",
       [](const Json& b, const std::string&, std::vector<std::string>* out) {
         // An older version's case holds one policy per instance (no "deny_entry").
         if (!Str(b, "role").empty() && Str(b, "deny_entry").empty())
           out->push_back("delete inline policy " + Str(b, "deny_policy") + " from role " + Str(b, "role"));
         else if (!Str(b, "role").empty())
           out->push_back("take " + Str(b, "deny_entry") + " out of inline policy " + Str(b, "deny_policy") +
                          " on role " + Str(b, "role") + " (deleted once no instance is left in it)");
         if (!Str(b, "profile_arn").empty())
           out->push_back("associate instance profile " + Str(b, "profile_name") + " again");
       }},
  };
  return kByStep;
}

ReleaseTargetPlan PlanTarget(aws::Client* client, evidence::CaseStore* store, const ResponseOptions& options,
                             const evidence::PreStateRecord& record) {
  ReleaseTargetPlan plan;
  plan.instance_id = record.target;
  plan.region = Str(record.state, "region");
  if (plan.region.empty()) plan.region = client->region();
  StepContext ctx;
  ctx.client = client;
  ctx.store = store;
  ctx.target.instance_id = record.target;
  ctx.target.region = plan.region;
  ctx.target.vpc_id = Str(record.state, "vpc_id");
  ctx.options = &options;
  auto undo = DoneContainSteps(*store, record.target);
  if (!undo) {
    plan.error = undo.error().ToString();
    return plan;
  }
  DriftFindings findings;
  if (Status s = AssessUndo(ctx, *undo, findings); !s) {
    plan.error = s.error().ToString();
    return plan;
  }
  plan.drift = findings.Lines();
  plan.held = findings.held();
  plan.refused = plan.held || (!findings.empty() && !options.force);
  for (const UndoItem& u : *undo) {
    ReleaseStepPlan step;
    step.step = std::string(u.step->name());
    step.already_released = u.released;
    if (auto it = Describers().find(step.step); it != Describers().end())
      it->second(u.payload.value("before", Json::object()), options.case_id, &step.restores);
    if (step.restores.empty()) step.restores.emplace_back("nothing to set back");
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

}  // namespace

Result<std::vector<ReleaseTargetPlan>> PlanRelease(aws::Client* client, evidence::CaseStore* store,
                                                   const ResponseOptions& options,
                                                   const std::vector<std::string>& targets) {
  auto all = store->pre_state().All();
  if (!all) return MakeError(all.error());
  std::vector<ReleaseTargetPlan> plans;
  for (const auto& r : *all)
    if (targets.empty() || std::find(targets.begin(), targets.end(), r.target) != targets.end())
      plans.push_back(PlanTarget(client, store, options, r));
  if (plans.empty())
    return MakeError(ErrorKind::kNotFound, "case " + store->id() + " has no recorded pre-state" +
                                               (targets.empty() ? "" : " for the given targets") +
                                               ": it never contained an instance, nothing to release");
  return plans;
}

std::string FormatReleasePlan(const std::vector<ReleaseTargetPlan>& plans, const std::string& case_id) {
  std::string out;
  for (const ReleaseTargetPlan& p : plans) {
    out += "Release plan for " + p.instance_id + " (" + p.region + "), case " + case_id + ":\n";
    if (!p.error.empty()) {
      out += "  unknown: reading the journal or live state failed: " + p.error + "\n";
      continue;
    }
    if (p.refused)
      out += p.held ? "  REFUSED: another case holds this instance; release it from that case\n"
                    : "  REFUSED: live state drifted from what cordon left (--force restores what it can)\n";
    for (const std::string& d : p.drift) out += "  drift: " + d + "\n";
    if (p.steps.empty()) out += "  nothing to undo: the journal shows no undoable contain step done\n";
    int n = 0;
    for (const ReleaseStepPlan& s : p.steps) {
      out += "  " + std::to_string(++n) + ". release:" + s.step +
             (s.already_released ? " (already released, not run again)" : "") + "\n";
      for (const std::string& line : s.restores) out += "       - " + line + "\n";
    }
  }
  return out;
}

Json ReleasePlanToJson(const std::vector<ReleaseTargetPlan>& plans, const std::string& case_id) {
  Json out{{"case", case_id}, {"plans", Json::array()}};
  for (const ReleaseTargetPlan& p : plans) {
    Json steps = Json::array();
    for (const ReleaseStepPlan& s : p.steps)
      steps.push_back({{"step", s.step}, {"already_released", s.already_released}, {"restores", s.restores}});
    out["plans"].push_back({{"instance", p.instance_id},
                            {"region", p.region},
                            {"error", p.error},
                            {"refused", p.refused},
                            {"held", p.held},
                            {"drift", p.drift},
                            {"steps", std::move(steps)}});
  }
  return out;
}

}  // namespace cordon::response
