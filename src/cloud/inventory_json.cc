// The JSON form of an InstanceInventory (docs/triage.md) and the findings derived from it.
// Keys are snake_case and always present, so a recorded pre-state diffs cleanly against a later one.
#include <string>

#include "cloud/instance_inventory.h"

namespace cordon::cloud {
namespace {

Json Opt(const std::optional<bool>& b) { return b ? Json(*b) : Json(); }
Json OrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

Json TagsJson(const Tags& tags) {
  Json j = Json::object();
  for (const auto& [k, v] : tags) j[k] = v;
  return j;
}

template <class T, class F>
Json ListJson(const PartList<T>& part, F&& each) {
  Json items = Json::array();
  for (const T& t : part.items) items.push_back(each(t));
  if (part.error.empty()) return items;
  // A part that failed outright: {"error"}; one that was partly read keeps what it found.
  if (part.items.empty()) return Json{{"error", part.error}};
  return Json{{"error", part.error}, {"partial", items}};
}

Json EniJson(const NetworkInterface& n) {
  Json ips = Json::array();
  for (const auto& p : n.private_ips)
    ips.push_back(Json{{"address", p.address}, {"primary", p.primary}, {"public_ip", OrNull(p.public_ip)}});
  Json groups = Json::array();
  for (const auto& g : n.groups) groups.push_back(Json{{"id", g.id}, {"name", g.name}});
  return Json{{"id", n.id},
              {"attachment_id", OrNull(n.attachment_id)},
              {"device_index", n.device_index},
              {"status", OrNull(n.status)},
              {"subnet_id", OrNull(n.subnet_id)},
              {"vpc_id", OrNull(n.vpc_id)},
              {"description", n.description},
              {"mac_address", OrNull(n.mac_address)},
              {"private_ips", ips},
              {"ipv6_addresses", n.ipv6_addresses},
              {"public_ip", OrNull(n.public_ip)},
              {"public_ip_owner", OrNull(n.ip_owner)},
              {"eip_allocation_id", OrNull(n.allocation_id)},
              {"eip_association_id", OrNull(n.association_id)},
              {"groups", groups},
              {"source_dest_check", n.source_dest_check},
              {"delete_on_termination", n.delete_on_termination}};
}

}  // namespace

Json ToJson(const InstanceInventory& inv) {
  const InstanceInfo& i = inv.instance;
  Json j;
  j["format"] = "cordon-inventory/1";
  j["collected_at"] = inv.collected_at;
  j["region"] = inv.target.region;
  j["matched_by"] = OrNull(inv.target.matched_by);
  j["instance"] = Json{{"id", i.id},
                       {"name", OrNull(i.name)},
                       {"type", i.type},
                       {"state", i.state},
                       {"launch_time", OrNull(i.launch_time)},
                       {"image_id", OrNull(i.image_id)},
                       {"availability_zone", OrNull(i.availability_zone)},
                       {"vpc_id", OrNull(i.vpc_id)},
                       {"subnet_id", OrNull(i.subnet_id)},
                       {"key_name", OrNull(i.key_name)},
                       {"private_ip", OrNull(i.private_ip)},
                       {"public_ip", OrNull(i.public_ip)},
                       {"platform", OrNull(i.platform)},
                       {"architecture", OrNull(i.architecture)},
                       {"root_device", OrNull(i.root_device)},
                       {"iam_instance_profile_arn", OrNull(inv.iam_instance_profile_arn)},
                       {"tags", TagsJson(i.tags)}};
  const MetadataOptions& md = inv.metadata_options;
  j["metadata_options"] = Json{{"http_tokens", OrNull(md.http_tokens)},
                               {"http_endpoint", OrNull(md.http_endpoint)},
                               {"http_put_response_hop_limit", md.hop_limit},
                               {"instance_metadata_tags", OrNull(md.instance_metadata_tags)},
                               {"imdsv1_allowed", md.imdsv1_allowed()}};
  if (inv.attributes.error.empty()) {
    j["attributes"] = Json{{"disable_api_termination", Opt(inv.attributes.disable_api_termination)},
                           {"instance_initiated_shutdown_behavior", OrNull(inv.attributes.shutdown_behavior)},
                           {"disable_api_stop", Opt(inv.attributes.disable_api_stop)}};
  } else {
    j["attributes"] = Json{{"error", inv.attributes.error}};
  }
  j["network_interfaces"] = ListJson(inv.network_interfaces, EniJson);
  j["elastic_ips"] = ListJson(inv.elastic_ips, [](const ElasticIp& e) {
    return Json{{"public_ip", e.public_ip},
                {"allocation_id", OrNull(e.allocation_id)},
                {"association_id", OrNull(e.association_id)},
                {"network_interface_id", OrNull(e.network_interface_id)},
                {"private_ip", OrNull(e.private_ip)},
                {"domain", OrNull(e.domain)}};
  });
  j["exposure"] = ListJson(inv.exposure, [](const OpenRule& r) { return ToJson(r); });

  const AutoScalingMembership& a = inv.auto_scaling;
  if (!a.error.empty()) {
    j["auto_scaling"] = Json{{"error", a.error}};
  } else if (!a.member) {
    j["auto_scaling"] = nullptr;
  } else {
    j["auto_scaling"] =
        Json{{"group_name", a.group_name},
             {"lifecycle_state", OrNull(a.lifecycle_state)},
             {"health_status", OrNull(a.health_status)},
             {"protected_from_scale_in", a.protected_from_scale_in},
             {"launch_template", OrNull(a.launch_template)},
             {"launch_configuration", OrNull(a.launch_configuration)},
             {"min_size", a.min_size},
             {"max_size", a.max_size},
             {"desired_capacity", a.desired_capacity},
             {"new_instances_protected_from_scale_in", a.new_instances_protected_from_scale_in},
             {"load_balancer_names", a.load_balancer_names},
             {"target_group_arns", a.target_group_arns}};
  }
  j["classic_load_balancers"] =
      ListJson(inv.classic_load_balancers, [](const std::string& n) { return Json(n); });
  j["target_groups"] = ListJson(inv.target_groups, [](const TargetGroupMembership& m) {
    return Json{{"arn", m.arn},
                {"name", m.name},
                {"target_type", m.target_type},
                {"port", m.port},
                {"availability_zone", OrNull(m.availability_zone)},
                {"health_state", OrNull(m.health_state)}};
  });

  const InstanceProfile& p = inv.instance_profile;
  if (!p.error.empty() && p.profile_arn.empty()) {
    j["instance_profile"] = Json{{"error", p.error}};
  } else if (p.profile_arn.empty()) {
    j["instance_profile"] = nullptr;
  } else {
    Json attached = Json::array();
    for (const auto& ap : p.attached_policies) attached.push_back(Json{{"name", ap.name}, {"arn", ap.arn}});
    Json role = p.role_error.empty() ? Json{{"name", OrNull(p.role_name)},
                                            {"arn", OrNull(p.role_arn)},
                                            {"attached_policies", attached},
                                            {"inline_policies", p.inline_policies}}
                                     : Json{{"error", p.role_error}};
    j["instance_profile"] = Json{{"association_id", OrNull(p.association_id)},
                                 {"association_state", OrNull(p.association_state)},
                                 {"arn", p.profile_arn},
                                 {"name", OrNull(p.profile_name)},
                                 {"role", role}};
    if (!p.error.empty()) j["instance_profile"]["association_error"] = p.error;
  }

  j["volumes"] = ListJson(inv.volumes, [](const Volume& v) {
    return Json{{"id", v.id},
                {"device", OrNull(v.device)},
                {"size_gib", v.size_gib},
                {"type", OrNull(v.type)},
                {"iops", v.iops},
                {"state", OrNull(v.state)},
                {"encrypted", v.encrypted},
                {"kms_key_id", OrNull(v.kms_key_id)},
                {"snapshot_id", OrNull(v.snapshot_id)},
                {"delete_on_termination", v.delete_on_termination}};
  });
  const InstanceStore& store = inv.instance_store;
  if (store.error.empty()) {
    j["instance_store"] =
        Json{{"supported", store.supported}, {"total_gib", store.total_gib}, {"devices", store.devices}};
  } else {
    // What was read stays: a refused DescribeImages leaves the instance type's answer known.
    j["instance_store"] = Json{{"error", store.error},
                               {"supported", store.type_read ? Json(store.supported) : Json(nullptr)},
                               {"total_gib", store.type_read ? Json(store.total_gib) : Json(nullptr)},
                               {"devices", store.devices}};
  }
  if (!inv.ssm.error.empty()) {
    j["ssm"] = Json{{"error", inv.ssm.error}};
  } else {
    j["ssm"] = Json{{"managed", inv.ssm.managed},
                    {"ping_status", OrNull(inv.ssm.ping_status)},
                    {"agent_version", OrNull(inv.ssm.agent_version)},
                    {"platform_name", OrNull(inv.ssm.platform_name)},
                    {"last_ping", OrNull(inv.ssm.last_ping)}};
  }
  return j;
}

std::vector<std::string> Findings(const InstanceInventory& inv) {
  std::vector<std::string> f;
  if (inv.target.terminated())
    f.emplace_back("instance is " + inv.instance.state + ": nothing left to contain");
  if (inv.metadata_options.imdsv1_allowed()) f.emplace_back("IMDSv1 allowed (HttpTokens optional)");
  for (const OpenRule& r : inv.exposure.items)
    f.emplace_back(r.cidr + " → " + r.PortText() + " (" + r.group_id + ")");
  for (const auto& n : inv.network_interfaces.items)
    if (!n.public_ip.empty()) f.emplace_back("public IP " + n.public_ip + " on " + n.id);
  if (inv.attributes.error.empty() && inv.attributes.disable_api_termination == false)
    f.emplace_back("termination protection off");
  if (inv.attributes.shutdown_behavior == "terminate") f.emplace_back("shutdown behaviour is terminate");
  for (const Volume& v : inv.volumes.items) {
    if (!v.encrypted) f.emplace_back("volume " + v.id + " not encrypted");
    if (v.delete_on_termination) f.emplace_back("volume " + v.id + " deleted on termination");
  }
  if (inv.instance_store.supported || !inv.instance_store.devices.empty())
    f.emplace_back("instance-store volumes: cannot be snapshotted");
  if (inv.auto_scaling.member && !inv.auto_scaling.protected_from_scale_in)
    f.emplace_back("in Auto Scaling group " + inv.auto_scaling.group_name + " without scale-in protection");
  return f;
}

}  // namespace cordon::cloud
