#include "response/fleet_state.h"

#include <algorithm>
#include <functional>
#include <set>

#include "aws/filters.h"
#include "base/json_fields.h"
#include "base/thread_pool.h"
#include "cloud/instances_by_id.h"
#include "response/live_state.h"
#include "response/pre_state_collector.h"
#include "response/role_deny.h"

namespace cordon::response {
namespace {

// Values per filter or id list: EC2's filters take up to 200, DescribeAutoScalingInstances 50 ids.
constexpr size_t kIdsPerCall = 100;
constexpr size_t kAsgIdsPerCall = 50;
// The per-instance attribute reads and the region-wide parts run this many at once: the fleet read
// is one burst before the steps, kept to the executor's own width (executor.h).
constexpr size_t kReadConcurrency = 8;

std::vector<std::vector<std::string>> Chunks(const std::vector<std::string>& ids, size_t size) {
  std::vector<std::vector<std::string>> out;
  for (size_t at = 0; at < ids.size(); at += size)
    out.emplace_back(ids.begin() + at, ids.begin() + std::min(ids.size(), at + size));
  return out;
}

// What one region's reads found, before it is split per target.
struct RegionRead {
  std::string region;
  std::vector<std::string> ids;
  std::optional<Json> instances, enis, addresses, asg, assocs, volumes, classic, target_groups;
  std::optional<Json> ssm, types, images, groups, security_groups;  // the shared reads (SharedReads)
  std::map<std::string, Json> profiles;                             // by instance profile name
  const ProfileReads* profiles_read = nullptr;                      // the preflight's, or null
  std::mutex profiles_mu;
  std::map<std::string, Json> health;
  std::map<std::string, Json> attributes;  // by instance id
  bool health_ok = false;
};

class Reader {
 public:
  Reader(aws::Client& client, RegionRead* r) : client_(client), r_(r) {}

  // Every chunk's `member` list concatenated, or nullopt when a call failed.
  std::optional<Json> All(const char* service, const char* op, const char* member,
                          const std::function<Json(const Json&)>& input, size_t chunk = kIdsPerCall) {
    return AllOf(service, op, member, input, r_->ids, chunk);
  }
  std::optional<Json> AllOf(const char* service, const char* op, const char* member,
                            const std::function<Json(const Json&)>& input,
                            const std::vector<std::string>& ids, size_t chunk = kIdsPerCall) {
    Json out = Json::array();
    for (const auto& part : Chunks(ids, chunk)) {
      auto got = CallAll(service, op, input(Json(part)));
      if (!got) return std::nullopt;
      for (const Json& v : got->value(member, Json::array())) out.push_back(v);
    }
    return out;
  }
  Result<Json> CallAll(const char* service, const char* op, Json input) const {
    return client_.CallAll(service, op, std::move(input), aws::CallOptions{r_->region, {}, false});
  }
  Result<Json> Call(const char* service, const char* op, Json input) const {
    return client_.Call(service, op, std::move(input), aws::CallOptions{r_->region, {}, false});
  }

 private:
  aws::Client& client_;
  RegionRead* r_;
};

// The distinct values of `key` (inside `sub`, when given) over the members of `list`, "" left out.
std::vector<std::string> Distinct(const std::optional<Json>& list, const char* key,
                                  const char* sub = nullptr) {
  std::set<std::string> out;
  if (list)
    for (const Json& v : *list) {
      std::string value = Str(sub != nullptr ? Obj(v, sub) : v, key);
      if (!value.empty()) out.insert(value);
    }
  return {out.begin(), out.end()};
}

// The instance profile names of the region's targets: each one's active association, else the
// instance's own IamInstanceProfile (as the inventory takes it).
std::vector<std::string> ProfileNames(const RegionRead& r) {
  std::set<std::string> out;
  if (r.assocs)
    for (const Json& a : *r.assocs)
      if (Str(a, "State") != "disassociated" && Str(a, "State") != "disassociating")
        out.insert(LastPathPart(Str(Obj(a, "IamInstanceProfile"), "Arn")));
  if (r.instances)
    for (const Json& i : *r.instances) out.insert(LastPathPart(Str(Obj(i, "IamInstanceProfile"), "Arn")));
  out.erase("");
  return {out.begin(), out.end()};
}

// GetInstanceProfile and its role's policy lists, as cloud::InventorySeed::instance_profile holds
// them, the profile and the inline policy names taken from `known` (the preflight's read) where it
// holds them; nullopt when a call failed (the inventory then reads it itself).
std::optional<Json> ReadProfile(const Reader& reader, const std::string& name, const ProfileRead* known) {
  Json profile;
  if (known != nullptr) {
    profile = known->instance_profile;
  } else {
    auto got = reader.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", name}});
    if (!got) return std::nullopt;
    profile = got->value("InstanceProfile", Json::object());
  }
  Json out = {{"InstanceProfileName", name}, {"InstanceProfile", profile}};
  const Json& roles = Arr(out["InstanceProfile"], "Roles");
  if (roles.empty()) return out;
  const Json role = {{"RoleName", Str(roles[0], "RoleName")}};
  auto attached = reader.CallAll("iam", "ListAttachedRolePolicies", role);
  if (!attached) return std::nullopt;
  out["AttachedPolicies"] = attached->value("AttachedPolicies", Json::array());
  if (known != nullptr && known->policy_names) {
    out["PolicyNames"] = *known->policy_names;
    return out;
  }
  auto names = reader.CallAll("iam", "ListRolePolicies", role);
  if (!names) return std::nullopt;
  out["PolicyNames"] = names->value("PolicyNames", Json::array());
  return out;
}

// Once for the region's distinct values, what the inventory read per instance (fleet_state.h says
// why each is the pre-state). Runs after the parts it takes its values from.
std::vector<std::function<void()>> SharedReads(Reader& reader, RegionRead* r) {
  std::vector<std::function<void()>> parts = {
      [&reader, r] {
        if (!r->instances) return;
        r->types = reader.AllOf(
            "ec2", "DescribeInstanceTypes", "InstanceTypes",
            [](const Json& types) {
              return Json{{"InstanceTypes", types}};
            },
            Distinct(r->instances, "InstanceType"));
      },
      [&reader, r] {
        // By filter, not ImageIds: an AMI deregistered since launch is then left out, not an error
        // for the whole call.
        if (!r->instances) return;
        r->images = reader.AllOf(
            "ec2", "DescribeImages", "Images", [](const Json& ids) { return aws::Filters("image-id", ids); },
            Distinct(r->instances, "ImageId"));
      },
      [&reader, r] {
        if (!r->asg) return;
        r->groups = reader.AllOf(
            "autoscaling", "DescribeAutoScalingGroups", "AutoScalingGroups",
            [](const Json& names) {
              return Json{{"AutoScalingGroupNames", names}};
            },
            Distinct(r->asg, "AutoScalingGroupName"), kAsgIdsPerCall);
      },
      [&reader, r] {
        // By filter, as isolate-network asks: a group deleted meanwhile is left out, not an error.
        if (!r->enis) return;
        std::set<std::string> ids;
        for (const Json& e : *r->enis)
          for (const Json& g : Arr(e, "Groups")) ids.insert(Str(g, "GroupId"));
        ids.erase("");
        r->security_groups = reader.AllOf("ec2", "DescribeSecurityGroups", "SecurityGroups",
                                          [](const Json& ids) { return aws::Filters("group-id", ids); },
                                          {ids.begin(), ids.end()});
      },
  };
  for (const std::string& name : ProfileNames(*r))
    parts.emplace_back([&reader, r, name] {
      const ProfileRead* known = nullptr;
      if (r->profiles_read != nullptr)
        if (auto it = r->profiles_read->find(name); it != r->profiles_read->end()) known = &it->second;
      auto profile = ReadProfile(reader, name, known);
      std::lock_guard<std::mutex> lock(r->profiles_mu);  // the profiles' parts run side by side
      if (profile) r->profiles[name] = std::move(*profile);
    });
  return parts;
}

void ReadRegion(aws::Client& client, RegionRead* r) {
  Reader reader(client, r);  // stateless: the parts below share it as they run side by side
  const std::function<void()> parts[] = {
      [&] {
        auto found = cloud::DescribeInstancesById(client, r->region, r->ids);
        if (!found) return;
        Json list = Json::array();
        for (auto& [id, instance] : *found) list.push_back(std::move(instance));
        r->instances = std::move(list);
      },
      [&] {
        r->enis = reader.All("ec2", "DescribeNetworkInterfaces", "NetworkInterfaces",
                             [](const Json& ids) { return aws::Filters("attachment.instance-id", ids); });
        if (!r->enis) return;
        std::vector<std::string> eni_ids;
        for (const Json& e : *r->enis) eni_ids.push_back(Str(e, "NetworkInterfaceId"));
        r->addresses = reader.AllOf(
            "ec2", "DescribeAddresses", "Addresses",
            [](const Json& ids) { return aws::Filters("network-interface-id", ids); }, eni_ids);
      },
      [&] {
        r->asg = reader.All(
            "autoscaling", "DescribeAutoScalingInstances", "AutoScalingInstances",
            [](const Json& ids) {
              return Json{{"InstanceIds", ids}};
            },
            kAsgIdsPerCall);
      },
      [&] {
        r->assocs =
            reader.All("ec2", "DescribeIamInstanceProfileAssociations", "IamInstanceProfileAssociations",
                       [](const Json& ids) { return aws::Filters("instance-id", ids); });
      },
      [&] {
        r->volumes = reader.All("ec2", "DescribeVolumes", "Volumes",
                                [](const Json& ids) { return aws::Filters("attachment.instance-id", ids); });
      },
      [&] {
        // The same InstanceIds filter the inventory sends; MaxResults is at most 50.
        r->ssm = reader.All(
            "ssm", "DescribeInstanceInformation", "InstanceInformationList",
            [](const Json& ids) {
              return Json{{"Filters", Json::array({Json{{"Key", "InstanceIds"}, {"Values", ids}}})}};
            },
            kAsgIdsPerCall);
      },
      [&] {
        auto got = reader.CallAll("elb", "DescribeLoadBalancers", Json::object());
        if (got) r->classic = got->value("LoadBalancerDescriptions", Json::array());
      },
      [&] {
        auto got = reader.CallAll("elbv2", "DescribeTargetGroups", Json::object());
        if (!got) return;
        r->target_groups = got->value("TargetGroups", Json::array());
        for (const Json& tg : *r->target_groups) {
          const std::string arn = Str(tg, "TargetGroupArn");
          auto h = reader.Call("elbv2", "DescribeTargetHealth", Json{{"TargetGroupArn", arn}});
          if (!h && !IsNotFoundError(h.error())) return;  // health unknown: the steps read it
          if (h) r->health[arn] = h->value("TargetHealthDescriptions", Json::array());
        }
        r->health_ok = true;
      },
  };
  ParallelFor(std::size(parts), kReadConcurrency, [&](size_t i) { parts[i](); });
  // The shared reads side by side with the two attributes protect changes, per instance (no batch
  // form), after the parts above.
  const std::vector<std::function<void()>> shared = SharedReads(reader, r);
  std::vector<std::optional<Json>> attrs(r->ids.size());
  ParallelFor(shared.size() + r->ids.size(), kReadConcurrency, [&](size_t k) {
    if (k < shared.size()) return shared[k]();
    const size_t i = k - shared.size();
    Json a = Json::object();
    for (const auto& [attribute, member] :
         {std::pair{"disableApiTermination", "DisableApiTermination"},
          {"instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior"}}) {
      auto got = client.Call("ec2", "DescribeInstanceAttribute",
                             Json{{"InstanceId", r->ids[i]}, {"Attribute", attribute}},
                             aws::CallOptions{r->region, {}, false});
      if (!got) return;
      a[attribute] = got->value(member, Json::object()).value("Value", Json());
    }
    attrs[i] = a;
  });
  for (size_t i = 0; i < r->ids.size(); ++i)
    if (attrs[i]) r->attributes[r->ids[i]] = *attrs[i];
}

// The members of `list` whose `key` (or key inside `sub`) is `id`.
Json Mine(const Json& list, const std::string& id, const char* key, const char* sub = nullptr) {
  Json out = Json::array();
  for (const Json& v : list) {
    const Json& where = sub != nullptr ? Obj(v, sub) : v;
    if (Str(where, key) == id) out.push_back(v);
  }
  return out;
}

Json VolumesOf(const Json& volumes, const std::string& id) {
  Json out = Json::array();
  for (const Json& v : volumes)
    for (const Json& a : Arr(v, "Attachments"))
      if (Str(a, "InstanceId") == id) {
        out.push_back(v);
        break;
      }
  return out;
}

// The target's share of the region's shared reads (SharedReads), each only where the part it is
// keyed by was read too.
void TakeShared(const RegionRead& r, TargetState* t) {
  if (!t->instance) return;
  const Json& i = *t->instance;
  if (r.types) t->instance_types = Mine(*r.types, Str(i, "InstanceType"), "InstanceType");
  if (r.images) t->images = Mine(*r.images, Str(i, "ImageId"), "ImageId");
  if (r.ssm) t->ssm_information = Mine(*r.ssm, Str(i, "InstanceId"), "InstanceId");
  if (r.groups && t->auto_scaling) {
    Json mine = Json::array();
    for (const std::string& name : Distinct(t->auto_scaling, "AutoScalingGroupName"))
      for (Json& g : Mine(*r.groups, name, "AutoScalingGroupName")) mine.push_back(std::move(g));
    t->auto_scaling_groups = mine;
  }
  if (r.security_groups && t->enis) {
    std::set<std::string> ids;
    for (const Json& e : *t->enis)
      for (const Json& g : Arr(e, "Groups")) ids.insert(Str(g, "GroupId"));
    Json mine = Json::array();
    for (const Json& g : *r.security_groups)
      if (ids.count(Str(g, "GroupId")) != 0) mine.push_back(g);
    t->security_groups = mine;
  }
  // The profile the inventory will take: the active association's, else the instance's own.
  std::string profile;
  if (t->iam_associations)
    for (const Json& a : *t->iam_associations)
      if (Str(a, "State") != "disassociated" && Str(a, "State") != "disassociating")
        profile = LastPathPart(Str(Obj(a, "IamInstanceProfile"), "Arn"));
  if (profile.empty()) profile = LastPathPart(Str(Obj(i, "IamInstanceProfile"), "Arn"));
  if (auto p = r.profiles.find(profile); p != r.profiles.end()) t->instance_profile = p->second;
}

}  // namespace

FleetState* FleetOf(const StepContext& ctx) { return ctx.fleet; }

const TargetState* FleetTarget(const StepContext& ctx) {
  FleetState* fleet = FleetOf(ctx);
  return fleet != nullptr ? fleet->Find(ctx.target.instance_id) : nullptr;
}

std::unique_ptr<FleetState> FleetState::Read(aws::Client& client,
                                             const std::vector<cloud::ResolvedTarget>& targets,
                                             const ProfileReads* profiles_read) {
  auto fleet = std::make_unique<FleetState>();
  std::map<std::string, RegionRead> regions;
  for (const cloud::ResolvedTarget& t : targets) {
    RegionRead& r = regions[t.region];
    r.region = t.region;
    r.profiles_read = profiles_read;
    if (std::find(r.ids.begin(), r.ids.end(), t.instance_id) == r.ids.end()) r.ids.push_back(t.instance_id);
    fleet->region_of_[t.instance_id] = t.region;
  }
  std::vector<RegionRead*> list;
  for (auto& [name, r] : regions) list.push_back(&r);
  ParallelFor(list.size(), list.size(), [&](size_t i) { ReadRegion(client, list[i]); });

  for (RegionRead* r : list) {
    RegionLbs& lbs = fleet->lbs_[r->region];
    lbs.classic = r->classic;
    if (r->health_ok) {
      lbs.target_groups = r->target_groups;
      lbs.health = r->health;
    }
    for (const std::string& id : r->ids) {
      TargetState& t = fleet->targets_[id];
      if (r->instances) {
        Json mine = Mine(*r->instances, id, "InstanceId");
        if (!mine.empty()) t.instance = mine[0];
      }
      if (r->enis) {
        Json enis = Mine(*r->enis, id, "InstanceId", "Attachment");
        std::sort(enis.begin(), enis.end(), [](const Json& a, const Json& b) {
          return Obj(a, "Attachment").value("DeviceIndex", 0) < Obj(b, "Attachment").value("DeviceIndex", 0);
        });
        t.enis = enis;
        if (r->addresses) {
          Json on = Json::array();
          for (const Json& e : enis) {
            Json here = Mine(*r->addresses, Str(e, "NetworkInterfaceId"), "NetworkInterfaceId");
            for (Json& a : here) on.push_back(std::move(a));
          }
          t.addresses = on;
        }
        if (lbs.classic && lbs.target_groups)
          t.load_balancers = LoadBalancerMembershipsFrom(id, PrivateAddressesOf(enis), *lbs.classic,
                                                         *lbs.target_groups, lbs.health);
      }
      if (r->asg) t.auto_scaling = Mine(*r->asg, id, "InstanceId");
      if (r->assocs) t.iam_associations = Mine(*r->assocs, id, "InstanceId");
      if (r->volumes) t.volumes = VolumesOf(*r->volumes, id);
      if (auto a = r->attributes.find(id); a != r->attributes.end()) t.attributes = a->second;
      TakeShared(*r, &t);
    }
  }
  return fleet;
}

const TargetState* FleetState::Find(const std::string& instance_id) const {
  auto it = targets_.find(instance_id);
  // A target the read did not find (gone meanwhile) is left to the steps' own reads.
  if (it == targets_.end() || !it->second.instance) return nullptr;
  return &it->second;
}

cloud::InventorySeed FleetState::SeedFor(const std::string& instance_id) const {
  cloud::InventorySeed seed;
  const TargetState* t = Find(instance_id);
  if (t == nullptr) return seed;
  seed.instance = t->instance;
  seed.network_interfaces = t->enis;
  seed.addresses = t->addresses;
  seed.auto_scaling_instances = t->auto_scaling;
  seed.iam_associations = t->iam_associations;
  seed.volumes = t->volumes;
  seed.attributes = t->attributes;
  seed.instance_types = t->instance_types;
  seed.images = t->images;
  seed.auto_scaling_groups = t->auto_scaling_groups;
  seed.security_groups = t->security_groups;
  seed.ssm_information = t->ssm_information;
  seed.instance_profile = t->instance_profile;
  auto region = region_of_.find(instance_id);
  if (region != region_of_.end()) {
    auto lbs = lbs_.find(region->second);
    if (lbs != lbs_.end()) {
      seed.load_balancers = lbs->second.classic;
      seed.target_groups = lbs->second.target_groups;
      seed.target_health = lbs->second.health;
    }
  }
  return seed;
}

Result<IsolationGroups> FleetState::EnsureIsolationGroupsOnce(const StepContext& ctx,
                                                              const std::string& vpc_id) {
  const std::string key = ctx.target.region + "/" + vpc_id;
  // Held across the ensure: the other targets of the VPC wait for the one that makes the groups
  // (EnsureIsolationGroups serialises them anyway), then take its ids without a call.
  std::lock_guard<std::mutex> lock(groups_mu_);
  if (auto it = groups_.find(key); it != groups_.end()) return it->second;
  auto made = EnsureIsolationGroups(ctx, vpc_id);
  if (!made) return made;
  groups_[key] = *made;
  return made;
}

}  // namespace cordon::response
