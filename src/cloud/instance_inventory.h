// A typed snapshot of everything about one instance that triage shows and that containment records
// as the pre-state it must restore. The JSON layout is documented in docs/triage.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "cloud/exposure.h"
#include "cloud/tags.h"
#include "cloud/target.h"

namespace cordon::cloud {

// Every part that is read with its own calls carries `error`: empty when it was read, else why not
// (AccessDenied, service not enabled, a 500). A failed part is otherwise empty; the rest is still read.

struct InstanceInfo {
  std::string id, name, type, state, launch_time, image_id, availability_zone, vpc_id, subnet_id, key_name;
  std::string private_ip, public_ip, platform, architecture, root_device;
  Tags tags;
};

struct SecurityGroupRef {
  std::string id, name;
};

struct PrivateIp {
  std::string address;
  bool primary = false;
  std::string public_ip;  // associated public IP or EIP, if any
};

struct NetworkInterface {
  std::string id, attachment_id, subnet_id, vpc_id, description, mac_address, status;
  int device_index = -1;
  std::vector<PrivateIp> private_ips;
  std::vector<std::string> ipv6_addresses;
  std::string public_ip;       // of the primary private IP
  std::string ip_owner;        // "amazon" for an auto-assigned public IP, else the EIP owner
  std::string allocation_id;   // set when public_ip is an Elastic IP
  std::string association_id;  // the EIP association
  std::vector<SecurityGroupRef> groups;
  bool source_dest_check = true;
  bool delete_on_termination = false;
};

struct ElasticIp {
  std::string public_ip, allocation_id, association_id, network_interface_id, private_ip, domain;
};

struct AutoScalingMembership {
  std::string error;
  bool member = false;
  std::string group_name, lifecycle_state, health_status, launch_template, launch_configuration;
  bool protected_from_scale_in = false;
  int min_size = 0, max_size = 0, desired_capacity = 0;
  bool new_instances_protected_from_scale_in = false;
  std::vector<std::string> load_balancer_names, target_group_arns;  // attached to the group
};

struct TargetGroupMembership {
  std::string arn, name, target_type, health_state;
  int port = 0;  // the port this instance is registered on
  std::string availability_zone;
};

struct IamPolicyRef {
  std::string name, arn;
};

struct InstanceProfile {
  std::string error;
  std::string association_id, association_state, profile_arn, profile_name;
  std::string role_error;  // reading the profile/role failed (the association is still known)
  std::string role_name, role_arn;
  std::vector<IamPolicyRef> attached_policies;
  std::vector<std::string> inline_policies;
};

struct Volume {
  std::string id, device, type, state, kms_key_id, snapshot_id;
  int size_gib = 0;
  int iops = 0;
  bool encrypted = false;
  bool delete_on_termination = false;
};

struct InstanceStore {
  std::string error;
  bool type_read = false;  // supported and total_gib were read (DescribeInstanceTypes answered)
  bool supported = false;  // the instance type has instance-store disks
  int total_gib = 0;
  std::vector<std::string> devices;  // ephemeral mappings ("/dev/sdb=ephemeral0") from the AMI
};

struct Attributes {
  std::string error;
  std::optional<bool> disable_api_termination;
  std::string shutdown_behavior;  // "stop" or "terminate"
  std::optional<bool> disable_api_stop;
};

struct MetadataOptions {
  std::string http_tokens, http_endpoint, instance_metadata_tags, state;
  int hop_limit = 0;
  // IMDSv1 is reachable: tokens optional while the endpoint is enabled. A finding.
  bool imdsv1_allowed() const { return http_endpoint != "disabled" && http_tokens != "required"; }
};

struct SsmState {
  std::string error;
  bool managed = false;
  std::string ping_status, agent_version, platform_name, last_ping;
};

template <class T>
struct PartList {
  std::string error;
  std::vector<T> items;
};

struct InstanceInventory {
  ResolvedTarget target;
  std::string collected_at;  // ISO 8601 UTC
  InstanceInfo instance;
  MetadataOptions metadata_options;
  std::string iam_instance_profile_arn;  // as DescribeInstances reports it
  PartList<NetworkInterface> network_interfaces;
  PartList<ElasticIp> elastic_ips;
  PartList<OpenRule> exposure;  // rules of the ENIs' groups open to the internet
  AutoScalingMembership auto_scaling;
  PartList<std::string> classic_load_balancers;  // names
  PartList<TargetGroupMembership> target_groups;
  InstanceProfile instance_profile;
  PartList<Volume> volumes;
  InstanceStore instance_store;
  Attributes attributes;
  SsmState ssm;
};

// Reads everything about `target` (in target.region). Fails only when the instance itself cannot be
// described (kNotFound, kAccessDenied, ...); any other part that fails is recorded in that part.
// Independent parts are read concurrently.
Result<InstanceInventory> CollectInventory(aws::Client& client, const ResolvedTarget& target);

// The stable JSON form (docs/triage.md), also the pre-state containment records. A failed part is
// {"error": "..."} in place of its value.
Json ToJson(const InstanceInventory& inventory);

// Findings a responder should see first ("IMDSv1 allowed", "0.0.0.0/0 → tcp/22", "terminated", ...).
std::vector<std::string> Findings(const InstanceInventory& inventory);

}  // namespace cordon::cloud
