#include "response/pre_state_collector.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/instance_inventory.h"
#include "response/fleet_state.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

Json OrError(const Result<Json>& r) { return r ? *r : Json{{"error", r.error().ToString()}}; }

Result<Json> Attribute(const StepContext& ctx, const char* attribute, const char* member) {
  auto out = ctx.Call("ec2", "DescribeInstanceAttribute",
                      Json{{"InstanceId", ctx.target.instance_id}, {"Attribute", attribute}});
  if (!out) return MakeError(out.error());
  return out->value(member, Json::object()).value("Value", Json());
}

}  // namespace

Json LoadBalancerMembershipsFrom(const std::string& id, const std::vector<std::string>& addresses,
                                 const Json& classic_lbs, const Json& target_groups,
                                 const std::map<std::string, Json>& health) {
  Json classic = Json::array();
  for (const Json& lb : classic_lbs)
    for (const Json& i : lb.value("Instances", Json::array()))
      if (Str(i, "InstanceId") == id) classic.push_back(Str(lb, "LoadBalancerName"));
  Json groups = Json::array();
  for (const Json& tg : target_groups) {
    std::string arn = Str(tg, "TargetGroupArn");
    auto described = health.find(arn);
    if (described == health.end()) continue;  // deleted while we looked
    // An ip-type group (ALB/NLB) holds the instance by its private addresses, not its id.
    const bool by_ip = Str(tg, "TargetType") == "ip";
    for (const Json& d : described->second) {
      const Json target = d.value("Target", Json::object());
      const std::string target_id = Str(target, "Id");
      std::string state = Str(d.value("TargetHealth", Json::object()), "State");
      const bool mine = by_ip ? std::find(addresses.begin(), addresses.end(), target_id) != addresses.end()
                              : target_id == id;
      if (!mine || state == "draining" || state == "unused") continue;
      Json m = {{"arn", arn}};
      if (by_ip) m["target_id"] = target_id;
      if (target.contains("Port")) m["port"] = target["Port"];
      if (target.contains("AvailabilityZone")) m["availability_zone"] = target["AvailabilityZone"];
      groups.push_back(std::move(m));
    }
  }
  return Json{{"classic", classic}, {"target_groups", groups}};
}

std::vector<std::string> PrivateAddressesOf(const Json& enis) {
  std::vector<std::string> out;
  for (const Json& eni : enis)
    for (const Json& ip : eni.value("PrivateIpAddresses", Json::array()))
      out.push_back(Str(ip, "PrivateIpAddress"));
  return out;
}

Result<Json> FindLoadBalancerMemberships(const StepContext& ctx) {
  auto lbs = ctx.CallAll("elb", "DescribeLoadBalancers", Json::object());
  if (!lbs) return MakeError(lbs.error());
  auto tgs = ctx.CallAll("elbv2", "DescribeTargetGroups", Json::object());
  if (!tgs) return MakeError(tgs.error());
  std::vector<std::string> addresses;  // read once, when an ip-type group exists
  std::map<std::string, Json> health;
  const Json groups = tgs->value("TargetGroups", Json::array());
  for (const Json& tg : groups) {
    std::string arn = Str(tg, "TargetGroupArn");
    if (Str(tg, "TargetType") == "ip" && addresses.empty()) {
      auto enis = DescribeTargetEnis(ctx);
      if (!enis) return MakeError(enis.error());
      addresses = PrivateAddressesOf(*enis);
    }
    auto described = ctx.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", arn}});
    if (!described) {
      if (IsNotFoundError(described.error())) continue;  // deleted while we looked
      return MakeError(described.error());
    }
    health[arn] = described->value("TargetHealthDescriptions", Json::array());
  }
  return LoadBalancerMembershipsFrom(ctx.target.instance_id, addresses,
                                     lbs->value("LoadBalancerDescriptions", Json::array()), groups, health);
}

// record-pre-state runs first, so what the fleet read found (this run, after the claims) is the
// state before any change: each part it holds is taken from it, the rest read here.
Result<Json> CollectPreState(const StepContext& ctx) {
  const TargetState* f = FleetTarget(ctx);
  auto have = [&](std::optional<Json> TargetState::*part) { return f != nullptr && (f->*part).has_value(); };
  auto instance = have(&TargetState::instance) ? Result<Json>(*f->instance) : DescribeTargetInstance(ctx);
  if (!instance) return MakeError(instance.error());
  Json state = {{"instance_id", ctx.target.instance_id},
                {"region", ctx.target.region},
                {"vpc_id", ctx.target.vpc_id},
                {"instance", *instance}};
  Json attributes = Json::object();
  if (have(&TargetState::attributes)) {
    attributes["DisableApiTermination"] = f->attributes->value("disableApiTermination", Json());
    attributes["InstanceInitiatedShutdownBehavior"] =
        f->attributes->value("instanceInitiatedShutdownBehavior", Json());
  } else {
    attributes["DisableApiTermination"] =
        OrError(Attribute(ctx, "disableApiTermination", "DisableApiTermination"));
    attributes["InstanceInitiatedShutdownBehavior"] =
        OrError(Attribute(ctx, "instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior"));
  }
  state["attributes"] = attributes;
  state["network_interfaces"] = have(&TargetState::enis) ? *f->enis : OrError(DescribeTargetEnis(ctx));
  // Elastic IPs by the ENIs they sit on: every address of the instance is on one of its ENIs, and an
  // address associated by ENI id may not carry the InstanceId (moto leaves it empty).
  std::vector<std::string> eni_ids;
  if (state["network_interfaces"].is_array())
    for (const Json& eni : state["network_interfaces"])
      if (eni.contains("NetworkInterfaceId")) eni_ids.push_back(eni["NetworkInterfaceId"].get<std::string>());
  auto addresses =
      have(&TargetState::addresses) ? Result<Json>(Json{{"Addresses", *f->addresses}})
      : eni_ids.empty()
          ? ctx.Call("ec2", "DescribeAddresses", Filters("instance-id", {ctx.target.instance_id}))
          : ctx.Call("ec2", "DescribeAddresses", Filters("network-interface-id", eni_ids));
  state["addresses"] = addresses ? addresses->value("Addresses", Json::array()) : OrError(addresses);
  auto asg = have(&TargetState::auto_scaling) ? Result<Json>(Json{{"AutoScalingInstances", *f->auto_scaling}})
                                              : ctx.Call("autoscaling", "DescribeAutoScalingInstances",
                                                         Json{{"InstanceIds", {ctx.target.instance_id}}});
  if (asg) {
    Json list = asg->value("AutoScalingInstances", Json::array());
    state["auto_scaling"] = list.empty() ? Json() : list[0];
  } else {
    state["auto_scaling"] = OrError(asg);
  }
  auto lbs = have(&TargetState::load_balancers) ? Result<Json>(*f->load_balancers)
                                                : FindLoadBalancerMemberships(ctx);
  if (lbs) {
    state["classic_load_balancers"] = (*lbs)["classic"];
    state["target_groups"] = (*lbs)["target_groups"];
  } else {
    state["load_balancers"] = OrError(lbs);
  }
  auto assoc = have(&TargetState::iam_associations)
                   ? Result<Json>(Json{{"IamInstanceProfileAssociations", *f->iam_associations}})
                   : ctx.Call("ec2", "DescribeIamInstanceProfileAssociations",
                              Filters("instance-id", {ctx.target.instance_id}));
  if (assoc) {
    Json found;
    for (const Json& a : assoc->value("IamInstanceProfileAssociations", Json::array()))
      if (Str(a, "State") == "associated" || Str(a, "State") == "associating") found = a;
    state["iam_instance_profile_association"] = found;
  } else {
    state["iam_instance_profile_association"] = OrError(assoc);
  }
  // The full inventory (cloud/), as triage shows it; the members above are what release restores.
  FleetState* fleet = FleetOf(ctx);
  auto inventory = cloud::CollectInventory(
      *ctx.client, ctx.target,
      fleet != nullptr ? fleet->SeedFor(ctx.target.instance_id) : cloud::InventorySeed{});
  state["inventory"] = inventory ? cloud::ToJson(*inventory) : Json{{"error", inventory.error().ToString()}};
  state["collected_by"] = "cordon response (pre_state_collector)";
  return state;
}

}  // namespace cordon::response
