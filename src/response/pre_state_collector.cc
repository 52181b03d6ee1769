#include "response/pre_state_collector.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cloud/instance_inventory.h"
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

// The instance's private IPv4 addresses, on every ENI: what an ip-type target group registers.
Result<std::vector<std::string>> PrivateAddresses(const StepContext& ctx) {
  auto enis = DescribeTargetEnis(ctx);
  if (!enis) return MakeError(enis.error());
  std::vector<std::string> out;
  for (const Json& eni : *enis)
    for (const Json& ip : eni.value("PrivateIpAddresses", Json::array()))
      out.push_back(Str(ip, "PrivateIpAddress"));
  return out;
}

Result<Json> FindLoadBalancerMemberships(const StepContext& ctx) {
  const std::string& id = ctx.target.instance_id;
  Json classic = Json::array();
  auto lbs = ctx.CallAll("elb", "DescribeLoadBalancers", Json::object());
  if (!lbs) return MakeError(lbs.error());
  for (const Json& lb : lbs->value("LoadBalancerDescriptions", Json::array()))
    for (const Json& i : lb.value("Instances", Json::array()))
      if (Str(i, "InstanceId") == id) classic.push_back(Str(lb, "LoadBalancerName"));
  Json groups = Json::array();
  auto tgs = ctx.CallAll("elbv2", "DescribeTargetGroups", Json::object());
  if (!tgs) return MakeError(tgs.error());
  std::optional<std::vector<std::string>> addresses;  // read once, when an ip-type group exists
  for (const Json& tg : tgs->value("TargetGroups", Json::array())) {
    std::string arn = Str(tg, "TargetGroupArn");
    // An ip-type group (ALB/NLB) holds the instance by its private addresses, not its id.
    const bool by_ip = Str(tg, "TargetType") == "ip";
    if (by_ip && !addresses) {
      auto found = PrivateAddresses(ctx);
      if (!found) return MakeError(found.error());
      addresses = std::move(*found);
    }
    auto health = ctx.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", arn}});
    if (!health) {
      if (IsNotFoundError(health.error())) continue;  // deleted while we looked
      return MakeError(health.error());
    }
    for (const Json& d : health->value("TargetHealthDescriptions", Json::array())) {
      const Json target = d.value("Target", Json::object());
      const std::string target_id = Str(target, "Id");
      std::string state = Str(d.value("TargetHealth", Json::object()), "State");
      const bool mine = by_ip ? std::find(addresses->begin(), addresses->end(), target_id) != addresses->end()
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

Result<Json> CollectPreState(const StepContext& ctx) {
  auto instance = DescribeTargetInstance(ctx);
  if (!instance) return MakeError(instance.error());
  Json state = {{"instance_id", ctx.target.instance_id},
                {"region", ctx.target.region},
                {"vpc_id", ctx.target.vpc_id},
                {"instance", *instance}};
  Json attributes = Json::object();
  attributes["DisableApiTermination"] =
      OrError(Attribute(ctx, "disableApiTermination", "DisableApiTermination"));
  attributes["InstanceInitiatedShutdownBehavior"] =
      OrError(Attribute(ctx, "instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior"));
  state["attributes"] = attributes;
  state["network_interfaces"] = OrError(DescribeTargetEnis(ctx));
  // Elastic IPs by the ENIs they sit on: every address of the instance is on one of its ENIs, and an
  // address associated by ENI id may not carry the InstanceId (moto leaves it empty).
  std::vector<std::string> eni_ids;
  if (state["network_interfaces"].is_array())
    for (const Json& eni : state["network_interfaces"])
      if (eni.contains("NetworkInterfaceId")) eni_ids.push_back(eni["NetworkInterfaceId"].get<std::string>());
  auto addresses =
      eni_ids.empty() ? ctx.Call("ec2", "DescribeAddresses", Filters("instance-id", {ctx.target.instance_id}))
                      : ctx.Call("ec2", "DescribeAddresses", Filters("network-interface-id", eni_ids));
  state["addresses"] = addresses ? addresses->value("Addresses", Json::array()) : OrError(addresses);
  auto asg = ctx.Call("autoscaling", "DescribeAutoScalingInstances",
                      Json{{"InstanceIds", {ctx.target.instance_id}}});
  if (asg) {
    Json list = asg->value("AutoScalingInstances", Json::array());
    state["auto_scaling"] = list.empty() ? Json() : list[0];
  } else {
    state["auto_scaling"] = OrError(asg);
  }
  auto lbs = FindLoadBalancerMemberships(ctx);
  if (lbs) {
    state["classic_load_balancers"] = (*lbs)["classic"];
    state["target_groups"] = (*lbs)["target_groups"];
  } else {
    state["load_balancers"] = OrError(lbs);
  }
  auto assoc = ctx.Call("ec2", "DescribeIamInstanceProfileAssociations",
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
  auto inventory = cloud::CollectInventory(*ctx.client, ctx.target);
  state["inventory"] = inventory ? cloud::ToJson(*inventory) : Json{{"error", inventory.error().ToString()}};
  state["collected_by"] = "cordon response (pre_state_collector)";
  return state;
}

}  // namespace cordon::response
