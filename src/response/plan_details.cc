#include "response/plan_details.h"

#include <algorithm>
#include <functional>
#include <map>

#include "response/conntrack.h"
#include "response/role_deny.h"

namespace cordon::response {
namespace {

using cloud::InstanceInventory;

std::string Groups(const std::vector<cloud::SecurityGroupRef>& groups) {
  std::string out;
  for (const auto& g : groups)
    out += (out.empty() ? "" : ", ") + g.id + (g.name.empty() ? "" : " (" + g.name + ")");
  return out.empty() ? "no group" : out;
}

// A part of the inventory that failed: the step's effect is unknown, never a no-op.
bool Unknown(const std::string& error, StepDetail* d) {
  if (error.empty()) return false;
  d->changes.push_back("unknown: reading the live state failed: " + error);
  return true;
}

void NoOp(StepDetail* d, std::string reason) {
  d->no_op = true;
  d->changes.push_back(std::move(reason));
}

struct Describer {
  const InstanceInventory& inv;
  const ResponseOptions& options;
  const RoleSharers& sharers;

  void Tag(StepDetail* d) const {
    d->changes.push_back("tags incident-response=quarantine:" + options.case_id +
                         ", cordon:case=" + options.case_id + ", cordon:responder=" + options.responder);
  }

  void Protect(StepDetail* d) const {
    if (Unknown(inv.attributes.error, d)) return;
    const auto& a = inv.attributes;
    if (a.disable_api_termination.value_or(false)) {
      d->changes.emplace_back("termination protection: already on");
    } else {
      d->changes.push_back(std::string("termination protection: on (now ") +
                           (a.disable_api_termination ? "off" : "unknown") + ")");
    }
    d->changes.push_back("shutdown behaviour: stop (now " +
                         (a.shutdown_behavior.empty() ? "unknown" : a.shutdown_behavior) + ")");
    for (const auto& v : inv.volumes.items)
      if (v.delete_on_termination)
        d->changes.push_back("DeleteOnTermination off on " + v.id + " (" + v.device + ")");
  }

  void Asg(StepDetail* d) const {
    const auto& asg = inv.auto_scaling;
    if (Unknown(asg.error, d)) return;
    if (!asg.member) return NoOp(d, "no-op: not in an Auto Scaling group");
    if (options.asg_mode == AsgMode::kStandby) {
      d->changes.push_back("scale-in protection, then standby in " + asg.group_name + " (now " +
                           asg.lifecycle_state + "; desired capacity " +
                           std::to_string(asg.desired_capacity) + " is kept, no replacement)");
    } else {
      d->changes.push_back("scale-in protection, then detach from " + asg.group_name + " (now " +
                           asg.lifecycle_state + "; desired capacity " +
                           std::to_string(asg.desired_capacity) +
                           " is kept, so the group launches a replacement)");
    }
  }

  void DeregisterLb(StepDetail* d) const {
    if (Unknown(inv.classic_load_balancers.error, d) || Unknown(inv.target_groups.error, d)) return;
    for (const auto& name : inv.classic_load_balancers.items)
      d->changes.push_back("classic load balancer " + name);
    for (const auto& tg : inv.target_groups.items)
      d->changes.push_back("target group " + tg.name + " port " + std::to_string(tg.port) + " (" + tg.arn +
                           ")");
    if (d->changes.empty()) NoOp(d, "no-op: registered with no load balancer or target group");
  }

  void Isolate(StepDetail* d) const {
    if (Unknown(inv.network_interfaces.error, d)) return;
    for (const auto& eni : inv.network_interfaces.items) {
      const std::string vpc = eni.vpc_id.empty() ? inv.instance.vpc_id : eni.vpc_id;
      std::string to = "cordon-isolation-" + vpc;
      if (!options.allow_from.empty()) {
        std::string allowed;
        for (const auto& a : options.allow_from) allowed += (allowed.empty() ? "" : ", ") + a;
        to += " + cordon-allow-" + options.case_id + "-" + vpc + " (ingress from " + allowed + ")";
      }
      // isolate-network shortens the timeouts before the swaps (response/conntrack.h).
      d->changes.push_back(eni.id + ": connection-tracking timeouts to the minimum (" +
                           DescribeConntrack(MinimalConntrack()) + ", restored on release), then " +
                           Groups(eni.groups) + " -> cordon-untrack-" + vpc + " -> " + to);
    }
    if (d->changes.empty()) NoOp(d, "no-op: no network interface");
  }

  void Eip(StepDetail* d) const {
    if (Unknown(inv.elastic_ips.error, d)) return;
    for (const auto& eip : inv.elastic_ips.items) {
      d->changes.push_back(eip.public_ip + " (" + eip.allocation_id + ") from " + eip.network_interface_id +
                           (eip.private_ip.empty() ? "" : " " + eip.private_ip));
    }
    if (d->changes.empty()) NoOp(d, "no-op: no Elastic IP");
    if (!inv.instance.public_ip.empty() && inv.elastic_ips.items.empty()) {
      d->changes.push_back("the auto-assigned public IP " + inv.instance.public_ip +
                           " stays (it cannot be removed); isolation cuts its traffic");
    }
  }

  void CaptureMemory(StepDetail* d) const {
    if (Unknown(inv.ssm.error, d)) return;
    d->changes.push_back(inv.ssm.managed ? "through SSM (agent " + inv.ssm.ping_status + ")"
                                         : "the instance is not managed by SSM: the capture will fail");
  }

  void Credentials(StepDetail* d) const {
    const auto& p = inv.instance_profile;
    if (Unknown(p.error, d)) return;
    if (p.profile_arn.empty()) return NoOp(d, "no-op: no instance profile");
    d->changes.push_back(options.quarantine_profile.empty()
                             ? "disassociate instance profile " + p.profile_name
                             : "replace instance profile " + p.profile_name + " with " +
                                   options.quarantine_profile);
    if (p.role_name.empty()) {
      d->changes.push_back("role unknown" + (p.role_error.empty() ? std::string() : ": " + p.role_error));
      return;
    }
    d->changes.push_back("inline policy " + DenyPolicyName(options.case_id) + " on role " + p.role_name +
                         ": add " + DenyEntry(inv.instance.id) +
                         " to the case's deny of these instances' sessions (ec2:SourceInstanceARN)");
    if (!options.revoke_role_sessions) return;
    std::string line = "and deny every session of role " + p.role_name + " issued before now";
    if (!sharers.error.empty()) {
      line += "; which other instances share it is unknown: " + sharers.error;
    } else if (sharers.instance_ids.empty()) {
      line += "; no other instance uses this profile";
    } else {
      std::string ids;
      for (const auto& id : sharers.instance_ids) ids += (ids.empty() ? "" : ", ") + id;
      line += ": ALSO CUTS " + std::to_string(sharers.instance_ids.size()) + " sibling(s): " + ids;
    }
    d->changes.push_back(line);
  }

  void Snapshot(StepDetail* d) const {
    if (Unknown(inv.volumes.error, d)) return;
    for (const auto& v : inv.volumes.items) {
      d->changes.push_back(v.id + " " + v.device + " " + std::to_string(v.size_gib) + " GiB" +
                           (v.encrypted ? " encrypted" : ""));
    }
    if (d->changes.empty()) NoOp(d, "no-op: no EBS volume");
  }
};

}  // namespace

RoleSharers FindRoleSharers(aws::Client& client, const InstanceInventory& inventory) {
  RoleSharers out;
  const std::string& profile = inventory.instance_profile.profile_arn;
  if (profile.empty()) return out;
  aws::CallOptions call;
  call.region = inventory.target.region;
  // Every association of the region, matched by profile here: DescribeIamInstanceProfileAssociations
  // filters only by instance id and state (EC2 API reference).
  auto found = client.CallAll(
      "ec2", "DescribeIamInstanceProfileAssociations",
      Json{{"Filters", Json::array({Json{{"Name", "state"}, {"Values", Json::array({"associated"})}}})}},
      call);
  if (!found) {
    out.error = found.error().message;
    return out;
  }
  for (const Json& a : found->value("IamInstanceProfileAssociations", Json::array())) {
    const std::string id = a.value("InstanceId", "");
    const std::string arn = a.value("IamInstanceProfile", Json::object()).value("Arn", "");
    if (arn == profile && !id.empty() && id != inventory.instance.id) out.instance_ids.push_back(id);
  }
  std::sort(out.instance_ids.begin(), out.instance_ids.end());
  return out;
}

std::vector<StepDetail> DescribeContainPlan(const Plan& plan, const InstanceInventory& inventory,
                                            const ResponseOptions& options, const RoleSharers& sharers) {
  const Describer describe{inventory, options, sharers};
  const std::map<std::string, std::function<void(StepDetail*)>> by_step = {
      {"record-pre-state",
       [&](StepDetail* d) {
         d->changes.push_back("the state below, write-once, into case " + options.case_id);
       }},
      {"tag", [&](StepDetail* d) { describe.Tag(d); }},
      {"protect", [&](StepDetail* d) { describe.Protect(d); }},
      {"asg", [&](StepDetail* d) { describe.Asg(d); }},
      {"deregister-lb", [&](StepDetail* d) { describe.DeregisterLb(d); }},
      {"isolate-network", [&](StepDetail* d) { describe.Isolate(d); }},
      {"disassociate-eip", [&](StepDetail* d) { describe.Eip(d); }},
      {"capture-memory", [&](StepDetail* d) { describe.CaptureMemory(d); }},
      {"credentials", [&](StepDetail* d) { describe.Credentials(d); }},
      {"snapshot", [&](StepDetail* d) { describe.Snapshot(d); }},
      {"console-output",
       [&](StepDetail* d) { d->changes.emplace_back("the console output, hashed, as evidence"); }},
  };
  std::vector<StepDetail> out;
  for (const PlanStep& step : plan.steps) {
    StepDetail detail;
    detail.step = step.name;
    if (auto it = by_step.find(step.name); it != by_step.end()) it->second(&detail);
    out.push_back(std::move(detail));
  }
  return out;
}

namespace {

// The step table's summaries name the case as <CASE>; a concrete plan names it.
std::string WithCase(std::string summary, const std::string& case_id) {
  for (size_t at = summary.find("<CASE>"); at != std::string::npos; at = summary.find("<CASE>", at))
    summary.replace(at, 6, case_id);
  return summary;
}

}  // namespace

std::string FormatConcretePlan(const Plan& plan, const std::vector<StepDetail>& details,
                               const std::string& case_id) {
  std::string out = FormatPlanHeader(plan);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    PlanStep named;
    named.name = plan.steps[i].name;
    named.summary = WithCase(plan.steps[i].summary, case_id);
    named.after = plan.steps[i].after;
    out += FormatPlanStep(static_cast<int>(i + 1), named);
    if (i >= details.size()) continue;
    for (const std::string& change : details[i].changes) out += "       - " + change + "\n";
  }
  return out;
}

Json ConcretePlanToJson(const Plan& plan, const std::vector<StepDetail>& details,
                        const std::string& case_id) {
  Json steps = Json::array();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& s = plan.steps[i];
    steps.push_back({{"step", s.name},
                     {"summary", WithCase(s.summary, case_id)},
                     {"after", s.after},
                     {"destructive", s.destructive},
                     {"no_op", i < details.size() && details[i].no_op},
                     {"changes", i < details.size() ? details[i].changes : std::vector<std::string>{}}});
  }
  return Json{{"instance", plan.target.instance_id},
              {"region", plan.target.region},
              {"vpc", plan.target.vpc_id},
              {"state", plan.target.state},
              {"case", case_id},
              {"steps", std::move(steps)}};
}

}  // namespace cordon::response
