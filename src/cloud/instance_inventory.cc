// Collecting an InstanceInventory. The instance is described first (everything else keys off it);
// then the independent parts are read concurrently, each recording its own failure in place.
#include "cloud/instance_inventory.h"

#include <algorithm>
#include <functional>
#include <set>

#include "aws/filters.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "base/time.h"
#include "cloud/inventory_seed.h"

namespace cordon::cloud {
namespace {

// The inventory's parts read at once: each is one to a few Describe calls, and triage reads the inventory
// beside the activity and the posture share, so four keeps one instance's requests in flight few while
// the nine parts still finish in three rounds.
constexpr size_t kInventoryConcurrency = 4;

class Collector {
 public:
  Collector(aws::Client& client, const std::string& region) : client_(client), options_{region, {}, false} {}

  Result<Json> Call(const char* service, const char* op, Json input) {
    return client_.Call(service, op, std::move(input), options_);
  }
  Result<Json> CallAll(const char* service, const char* op, Json input) {
    return client_.CallAll(service, op, std::move(input), options_);
  }

 private:
  aws::Client& client_;
  aws::CallOptions options_;
};

void ReadInstance(const Json& i, InstanceInventory* inv) {
  InstanceInfo& info = inv->instance;
  info.id = ScalarText(i, "InstanceId");
  info.type = ScalarText(i, "InstanceType");
  info.state = ScalarText(Obj(i, "State"), "Name");
  info.launch_time = ScalarText(i, "LaunchTime");
  info.image_id = ScalarText(i, "ImageId");
  info.availability_zone = ScalarText(Obj(i, "Placement"), "AvailabilityZone");
  info.vpc_id = ScalarText(i, "VpcId");
  info.subnet_id = ScalarText(i, "SubnetId");
  info.key_name = ScalarText(i, "KeyName");
  info.private_ip = ScalarText(i, "PrivateIpAddress");
  info.public_ip = ScalarText(i, "PublicIpAddress");
  info.platform =
      i.contains("PlatformDetails") ? ScalarText(i, "PlatformDetails") : ScalarText(i, "Platform");
  info.architecture = ScalarText(i, "Architecture");
  info.root_device = ScalarText(i, "RootDeviceName");
  info.tags = TagsFromList(Arr(i, "Tags"));
  for (const auto& [k, v] : info.tags)
    if (k == "Name") info.name = v;
  const Json& md = Obj(i, "MetadataOptions");
  inv->metadata_options.http_tokens = ScalarText(md, "HttpTokens");
  inv->metadata_options.http_endpoint = ScalarText(md, "HttpEndpoint");
  inv->metadata_options.instance_metadata_tags = ScalarText(md, "InstanceMetadataTags");
  inv->metadata_options.state = ScalarText(md, "State");
  inv->metadata_options.hop_limit = Int(md, "HttpPutResponseHopLimit");
  inv->iam_instance_profile_arn = ScalarText(Obj(i, "IamInstanceProfile"), "Arn");
}

// The members of a seed's SecurityGroups that are among `ids`.
Json GroupsIn(const Json& groups, const std::set<std::string>& ids) {
  Json out = Json::array();
  for (const Json& g : groups)
    if (ids.count(ScalarText(g, "GroupId")) != 0) out.push_back(g);
  return out;
}

void ReadNetwork(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  auto enis = seed.network_interfaces
                  ? Result<Json>(Json{{"NetworkInterfaces", *seed.network_interfaces}})
                  : c.CallAll("ec2", "DescribeNetworkInterfaces",
                              aws::Filters("attachment.instance-id", Json::array({inv->instance.id})));
  if (!enis) {
    inv->network_interfaces.error = enis.error().ToString();
    inv->exposure.error = "network interfaces could not be read";
    inv->elastic_ips.error = "network interfaces could not be read";
    return;
  }
  std::set<std::string> group_ids;
  Json eni_ids = Json::array();
  for (const Json& e : Arr(*enis, "NetworkInterfaces")) {
    NetworkInterface n;
    n.id = ScalarText(e, "NetworkInterfaceId");
    const Json& att = Obj(e, "Attachment");
    n.attachment_id = ScalarText(att, "AttachmentId");
    n.device_index = att.contains("DeviceIndex") ? Int(att, "DeviceIndex") : -1;
    n.delete_on_termination = Bool(att, "DeleteOnTermination");
    n.subnet_id = ScalarText(e, "SubnetId");
    n.vpc_id = ScalarText(e, "VpcId");
    n.description = ScalarText(e, "Description");
    n.mac_address = ScalarText(e, "MacAddress");
    n.status = ScalarText(e, "Status");
    n.source_dest_check = Bool(e, "SourceDestCheck", true);
    const Json& assoc = Obj(e, "Association");
    n.public_ip = ScalarText(assoc, "PublicIp");
    n.ip_owner = ScalarText(assoc, "IpOwnerId");
    n.allocation_id = ScalarText(assoc, "AllocationId");
    n.association_id = ScalarText(assoc, "AssociationId");
    for (const Json& p : Arr(e, "PrivateIpAddresses"))
      n.private_ips.push_back({ScalarText(p, "PrivateIpAddress"), Bool(p, "Primary"),
                               ScalarText(Obj(p, "Association"), "PublicIp")});
    if (n.private_ips.empty() && e.contains("PrivateIpAddress"))
      n.private_ips.push_back({ScalarText(e, "PrivateIpAddress"), true, n.public_ip});
    for (const Json& a : Arr(e, "Ipv6Addresses")) n.ipv6_addresses.push_back(ScalarText(a, "Ipv6Address"));
    for (const Json& g : Arr(e, "Groups")) {
      n.groups.push_back({ScalarText(g, "GroupId"), ScalarText(g, "GroupName")});
      group_ids.insert(ScalarText(g, "GroupId"));
    }
    eni_ids.push_back(n.id);
    inv->network_interfaces.items.push_back(std::move(n));
  }
  std::sort(
      inv->network_interfaces.items.begin(), inv->network_interfaces.items.end(),
      [](const NetworkInterface& a, const NetworkInterface& b) { return a.device_index < b.device_index; });

  if (!eni_ids.empty()) {
    auto eips = seed.addresses
                    ? Result<Json>(Json{{"Addresses", *seed.addresses}})
                    : c.Call("ec2", "DescribeAddresses", aws::Filters("network-interface-id", eni_ids));
    if (!eips) {
      inv->elastic_ips.error = eips.error().ToString();
    } else {
      for (const Json& a : Arr(*eips, "Addresses"))
        inv->elastic_ips.items.push_back({ScalarText(a, "PublicIp"), ScalarText(a, "AllocationId"),
                                          ScalarText(a, "AssociationId"), ScalarText(a, "NetworkInterfaceId"),
                                          ScalarText(a, "PrivateIpAddress"), ScalarText(a, "Domain")});
      // Fill the allocation of ENIs whose association did not name it.
      for (auto& n : inv->network_interfaces.items)
        for (const auto& e : inv->elastic_ips.items)
          if (e.network_interface_id == n.id &&
              e.private_ip == (n.private_ips.empty() ? "" : n.private_ips[0].address) &&
              n.allocation_id.empty()) {
            n.allocation_id = e.allocation_id;
            if (n.association_id.empty()) n.association_id = e.association_id;
          }
    }
  }
  if (!group_ids.empty()) {
    Json ids = Json::array();
    for (const auto& g : group_ids) ids.push_back(g);
    auto sgs = seed.security_groups
                   ? Result<Json>(Json{{"SecurityGroups", GroupsIn(*seed.security_groups, group_ids)}})
                   : c.CallAll("ec2", "DescribeSecurityGroups", Json{{"GroupIds", ids}});
    if (!sgs) {
      inv->exposure.error = sgs.error().ToString();
    } else {
      inv->exposure.items = FindOpenRules(*sgs);
    }
  }
}

void ReadVolumes(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  auto out = seed.volumes
                 ? Result<Json>(Json{{"Volumes", *seed.volumes}})
                 : c.CallAll("ec2", "DescribeVolumes",
                             aws::Filters("attachment.instance-id", Json::array({inv->instance.id})));
  if (!out) {
    inv->volumes.error = out.error().ToString();
    return;
  }
  for (const Json& v : Arr(*out, "Volumes")) {
    Volume vol;
    vol.id = ScalarText(v, "VolumeId");
    vol.type = ScalarText(v, "VolumeType");
    vol.state = ScalarText(v, "State");
    vol.kms_key_id = ScalarText(v, "KmsKeyId");
    vol.snapshot_id = ScalarText(v, "SnapshotId");
    vol.size_gib = Int(v, "Size");
    vol.iops = Int(v, "Iops");
    vol.encrypted = Bool(v, "Encrypted");
    for (const Json& a : Arr(v, "Attachments"))
      if (ScalarText(a, "InstanceId") == inv->instance.id) {
        vol.device = ScalarText(a, "Device");
        vol.delete_on_termination = Bool(a, "DeleteOnTermination");
      }
    inv->volumes.items.push_back(std::move(vol));
  }
  std::sort(inv->volumes.items.begin(), inv->volumes.items.end(),
            [](const Volume& a, const Volume& b) { return a.device < b.device; });
}

void ReadInstanceStore(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  auto types = seed.instance_types ? Result<Json>(Json{{"InstanceTypes", *seed.instance_types}})
                                   : c.Call("ec2", "DescribeInstanceTypes",
                                            Json{{"InstanceTypes", Json::array({inv->instance.type})}});
  if (!types) {
    inv->instance_store.error = types.error().ToString();
  } else {
    for (const Json& t : Arr(*types, "InstanceTypes")) {
      inv->instance_store.type_read = true;
      inv->instance_store.supported = Bool(t, "InstanceStorageSupported");
      inv->instance_store.total_gib = Int(Obj(t, "InstanceStorageInfo"), "TotalSizeInGB");
    }
  }
  // The AMI's ephemeral mappings name the devices. The AMI may be gone (deregistered: no image, or
  // InvalidAMIID.NotFound): then only the type is known, and that is not a failure. Any other error
  // (access denied, throttled) is: the devices are unknown.
  if (inv->instance.image_id.empty()) return;
  auto images = seed.images ? Result<Json>(Json{{"Images", *seed.images}})
                            : c.Call("ec2", "DescribeImages",
                                     Json{{"ImageIds", Json::array({inv->instance.image_id})}});
  if (!images) {
    const Error& e = images.error();
    if (e.kind == ErrorKind::kNotFound || StartsWith(e.code, "InvalidAMIID.")) return;
    std::string& error = inv->instance_store.error;
    error += (error.empty() ? "" : "; ") + std::string("device names from ") + inv->instance.image_id +
             " (ec2:DescribeImages): " + e.ToString();
    return;
  }
  for (const Json& img : Arr(*images, "Images"))
    for (const Json& m : Arr(img, "BlockDeviceMappings"))
      if (ScalarText(m, "VirtualName").rfind("ephemeral", 0) == 0)
        inv->instance_store.devices.push_back(ScalarText(m, "DeviceName") + "=" +
                                              ScalarText(m, "VirtualName"));
}

void ReadAutoScaling(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  AutoScalingMembership& asg = inv->auto_scaling;
  auto out = seed.auto_scaling_instances
                 ? Result<Json>(Json{{"AutoScalingInstances", *seed.auto_scaling_instances}})
                 : c.Call("autoscaling", "DescribeAutoScalingInstances",
                          Json{{"InstanceIds", Json::array({inv->instance.id})}});
  if (!out) {
    asg.error = out.error().ToString();
    return;
  }
  for (const Json& a : Arr(*out, "AutoScalingInstances")) {
    asg.member = true;
    asg.group_name = ScalarText(a, "AutoScalingGroupName");
    asg.lifecycle_state = ScalarText(a, "LifecycleState");
    asg.health_status = ScalarText(a, "HealthStatus");
    asg.protected_from_scale_in = Bool(a, "ProtectedFromScaleIn");
    asg.launch_configuration = ScalarText(a, "LaunchConfigurationName");
    asg.launch_template = ScalarText(Obj(a, "LaunchTemplate"), "LaunchTemplateName");
  }
  if (!asg.member) return;
  auto groups = seed.auto_scaling_groups
                    ? Result<Json>(Json{{"AutoScalingGroups", *seed.auto_scaling_groups}})
                    : c.Call("autoscaling", "DescribeAutoScalingGroups",
                             Json{{"AutoScalingGroupNames", Json::array({asg.group_name})}});
  if (!groups) {
    asg.error = groups.error().ToString();
    return;
  }
  for (const Json& g : Arr(*groups, "AutoScalingGroups")) {
    asg.min_size = Int(g, "MinSize");
    asg.max_size = Int(g, "MaxSize");
    asg.desired_capacity = Int(g, "DesiredCapacity");
    asg.new_instances_protected_from_scale_in = Bool(g, "NewInstancesProtectedFromScaleIn");
    for (const Json& n : Arr(g, "LoadBalancerNames")) asg.load_balancer_names.push_back(n.get<std::string>());
    for (const Json& n : Arr(g, "TargetGroupARNs")) asg.target_group_arns.push_back(n.get<std::string>());
  }
}

void ReadClassicLbs(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  auto out = seed.load_balancers ? Result<Json>(Json{{"LoadBalancerDescriptions", *seed.load_balancers}})
                                 : c.CallAll("elb", "DescribeLoadBalancers", Json::object());
  if (!out) {
    inv->classic_load_balancers.error = out.error().ToString();
    return;
  }
  for (const Json& lb : Arr(*out, "LoadBalancerDescriptions"))
    for (const Json& i : Arr(lb, "Instances"))
      if (ScalarText(i, "InstanceId") == inv->instance.id)
        inv->classic_load_balancers.items.push_back(ScalarText(lb, "LoadBalancerName"));
  std::sort(inv->classic_load_balancers.items.begin(), inv->classic_load_balancers.items.end());
}

// Every target group is asked who is registered, rather than trusting the ASG's list: manual
// registrations (and IP targets naming one of the instance's addresses) count too.
void ReadTargetGroups(Collector& c, const InventorySeed& seed, const std::set<std::string>& own_ips,
                      InstanceInventory* inv) {
  auto out = seed.target_groups ? Result<Json>(Json{{"TargetGroups", *seed.target_groups}})
                                : c.CallAll("elbv2", "DescribeTargetGroups", Json::object());
  if (!out) {
    inv->target_groups.error = out.error().ToString();
    return;
  }
  for (const Json& tg : Arr(*out, "TargetGroups")) {
    std::string type = ScalarText(tg, "TargetType");
    if (type != "instance" && type != "ip" && !type.empty()) continue;
    auto seeded = seed.target_health.find(ScalarText(tg, "TargetGroupArn"));
    auto health = seeded != seed.target_health.end()
                      ? Result<Json>(Json{{"TargetHealthDescriptions", seeded->second}})
                      : c.Call("elbv2", "DescribeTargetHealth",
                               Json{{"TargetGroupArn", ScalarText(tg, "TargetGroupArn")}});
    if (!health) {
      // Keep what the other groups said; the part says it is incomplete.
      inv->target_groups.error = ScalarText(tg, "TargetGroupName") + ": " + health.error().ToString();
      continue;
    }
    for (const Json& d : Arr(*health, "TargetHealthDescriptions")) {
      const Json& t = Obj(d, "Target");
      std::string id = ScalarText(t, "Id");
      if (id != inv->instance.id && !own_ips.count(id)) continue;
      TargetGroupMembership m;
      m.arn = ScalarText(tg, "TargetGroupArn");
      m.name = ScalarText(tg, "TargetGroupName");
      m.target_type = type.empty() ? "instance" : type;
      m.port = t.contains("Port") ? Int(t, "Port") : Int(tg, "Port");
      m.availability_zone = ScalarText(t, "AvailabilityZone");
      m.health_state = ScalarText(Obj(d, "TargetHealth"), "State");
      inv->target_groups.items.push_back(std::move(m));
    }
  }
}

void ReadRole(Collector& c, const InventorySeed& seed, InstanceProfile* p) {
  // arn:aws:iam::123456789012:instance-profile/path/name: the name is the last segment.
  std::string name = p->profile_arn.substr(p->profile_arn.rfind('/') + 1);
  p->profile_name = name;
  // The fleet's read of this profile, when it is this one.
  const Json* read =
      seed.instance_profile && ScalarText(*seed.instance_profile, "InstanceProfileName") == name
          ? &*seed.instance_profile
          : nullptr;
  auto prof = read != nullptr ? Result<Json>(*read)
                              : c.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", name}});
  if (!prof) {
    p->role_error = prof.error().ToString();
    return;
  }
  for (const Json& r : Arr(Obj(*prof, "InstanceProfile"), "Roles")) {
    p->role_name = ScalarText(r, "RoleName");
    p->role_arn = ScalarText(r, "Arn");
  }
  if (p->role_name.empty()) return;
  auto attached = read != nullptr && read->contains("AttachedPolicies")
                      ? Result<Json>(*read)
                      : c.CallAll("iam", "ListAttachedRolePolicies", Json{{"RoleName", p->role_name}});
  if (!attached) {
    p->role_error = attached.error().ToString();
  } else {
    for (const Json& a : Arr(*attached, "AttachedPolicies"))
      p->attached_policies.push_back({ScalarText(a, "PolicyName"), ScalarText(a, "PolicyArn")});
  }
  auto inline_policies = read != nullptr && read->contains("PolicyNames")
                             ? Result<Json>(*read)
                             : c.CallAll("iam", "ListRolePolicies", Json{{"RoleName", p->role_name}});
  if (!inline_policies) {
    p->role_error = inline_policies.error().ToString();
  } else {
    for (const Json& n : Arr(*inline_policies, "PolicyNames"))
      p->inline_policies.push_back(n.get<std::string>());
  }
}

void ReadInstanceProfile(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  InstanceProfile& p = inv->instance_profile;
  auto out = seed.iam_associations
                 ? Result<Json>(Json{{"IamInstanceProfileAssociations", *seed.iam_associations}})
                 : c.Call("ec2", "DescribeIamInstanceProfileAssociations",
                          aws::Filters("instance-id", Json::array({inv->instance.id})));
  if (!out) {
    p.error = out.error().ToString();
  } else {
    for (const Json& a : Arr(*out, "IamInstanceProfileAssociations")) {
      std::string state = ScalarText(a, "State");
      if (state == "disassociated" || state == "disassociating") continue;
      p.association_id = ScalarText(a, "AssociationId");
      p.association_state = state;
      p.profile_arn = ScalarText(Obj(a, "IamInstanceProfile"), "Arn");
    }
  }
  if (p.profile_arn.empty()) p.profile_arn = inv->iam_instance_profile_arn;
  if (!p.profile_arn.empty()) ReadRole(c, seed, &p);
}

void ReadAttributes(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  Attributes& a = inv->attributes;
  auto read = [&](const char* attribute, const char* field) -> Result<Json> {
    if (seed.attributes && seed.attributes->contains(attribute)) return (*seed.attributes)[attribute];
    auto out = c.Call("ec2", "DescribeInstanceAttribute",
                      Json{{"InstanceId", inv->instance.id}, {"Attribute", attribute}});
    if (!out) return out;
    return Obj(*out, field).value("Value", Json());
  };
  auto term = read("disableApiTermination", "DisableApiTermination");
  if (!term) {
    a.error = term.error().ToString();
  } else if (term->is_boolean()) {
    a.disable_api_termination = term->get<bool>();
  }
  auto shutdown = read("instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior");
  if (!shutdown) {
    a.error = shutdown.error().ToString();
  } else if (shutdown->is_string()) {
    a.shutdown_behavior = shutdown->get<std::string>();
  }
  // Newer attribute: emulators may not know it; its absence is not an error.
  auto stop = read("disableApiStop", "DisableApiStop");
  if (stop && stop->is_boolean()) a.disable_api_stop = stop->get<bool>();
}

void ReadSsm(Collector& c, const InventorySeed& seed, InstanceInventory* inv) {
  auto out =
      seed.ssm_information
          ? Result<Json>(Json{{"InstanceInformationList", *seed.ssm_information}})
          : c.Call("ssm", "DescribeInstanceInformation",
                   Json{{"Filters", Json::array({Json{{"Key", "InstanceIds"},
                                                      {"Values", Json::array({inv->instance.id})}}})}});
  if (!out) {
    inv->ssm.error = out.error().ToString();
    return;
  }
  for (const Json& i : Arr(*out, "InstanceInformationList")) {
    if (ScalarText(i, "InstanceId") != inv->instance.id) continue;
    inv->ssm.managed = true;
    inv->ssm.ping_status = ScalarText(i, "PingStatus");
    inv->ssm.agent_version = ScalarText(i, "AgentVersion");
    inv->ssm.platform_name = ScalarText(i, "PlatformName");
    inv->ssm.last_ping = ScalarText(i, "LastPingDateTime");
  }
}

}  // namespace

Result<InstanceInventory> CollectInventory(aws::Client& client, const ResolvedTarget& target,
                                           const InventorySeed& seed) {
  Collector c(client, target.region);
  InstanceInventory inv;
  inv.target = target;
  inv.collected_at = FormatIso8601(client.clock()->Now());
  auto out =
      seed.instance
          ? Result<Json>(
                Json{{"Reservations", Json::array({Json{{"Instances", Json::array({*seed.instance})}}})}})
          : c.Call("ec2", "DescribeInstances", Json{{"InstanceIds", Json::array({target.instance_id})}});
  if (!out) {
    if (out.error().kind == ErrorKind::kNotFound)
      return MakeError(ErrorKind::kNotFound, "no instance " + target.instance_id + " in " + target.region);
    return WithContext(out.error(), "describing " + target.instance_id);
  }
  const Json* instance = nullptr;
  for (const Json& r : Arr(*out, "Reservations"))
    for (const Json& i : Arr(r, "Instances"))
      if (ScalarText(i, "InstanceId") == target.instance_id) instance = &i;
  if (instance == nullptr)
    return MakeError(ErrorKind::kNotFound, "no instance " + target.instance_id + " in " + target.region);
  ReadInstance(*instance, &inv);

  std::set<std::string> own_ips;
  for (const Json& n : Arr(*instance, "NetworkInterfaces"))
    for (const Json& p : Arr(n, "PrivateIpAddresses")) own_ips.insert(ScalarText(p, "PrivateIpAddress"));
  if (!inv.instance.private_ip.empty()) own_ips.insert(inv.instance.private_ip);

  // Each part writes only its own members of `inv`, so they can run side by side.
  const std::function<void()> parts[] = {
      [&] { ReadNetwork(c, seed, &inv); },
      [&] { ReadVolumes(c, seed, &inv); },
      [&] { ReadInstanceStore(c, seed, &inv); },
      [&] { ReadAutoScaling(c, seed, &inv); },
      [&] { ReadClassicLbs(c, seed, &inv); },
      [&] { ReadTargetGroups(c, seed, own_ips, &inv); },
      [&] { ReadInstanceProfile(c, seed, &inv); },
      [&] { ReadAttributes(c, seed, &inv); },
      [&] { ReadSsm(c, seed, &inv); },
  };
  ParallelFor(std::size(parts), kInventoryConcurrency, [&](size_t i) { parts[i](); });
  return inv;
}

Result<InstanceInventory> CollectInventory(aws::Client& client, const ResolvedTarget& target) {
  return CollectInventory(client, target, InventorySeed{});
}

}  // namespace cordon::cloud
