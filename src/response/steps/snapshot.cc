// snapshot (rule 6): one crash-consistent CreateSnapshots set of every EBS volume (boot volume
// included), tagged cordon:case, cordon:instance, cordon:responder, cordon:set, then per snapshot
// cordon:volume and cordon:device; described "<responder>-<date>-<case>". CreateSnapshots takes no
// client token, so a rerun first looks for the set's snapshots (by tags, or by volume and the
// recorded description) and only creates what is missing: snapshots are never duplicated.
// Instance-store volumes cannot be snapshotted; the case says so in a note.
// With --lock-snapshots each snapshot is locked (LockSnapshot) right after it is tagged, before it is
// recorded, and the lock goes into its evidence row (details.lock).
// `preserve` runs the same step as "preserve-snapshot-<n>" with cordon:set=preserve-<n>.
#include <map>

#include "base/time.h"
#include "response/live_state.h"
#include "response/snapshot_lock.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class SnapshotStep : public Step {
 public:
  explicit SnapshotStep(std::string series)
      : series_(std::move(series)), name_(series_.empty() ? "snapshot" : "preserve-snapshot-" + series_) {}
  std::string_view name() const override { return name_; }

 protected:
  std::string Set() const { return series_.empty() ? "contain" : "preserve-" + series_; }

  Result<Json> Observe(StepContext& ctx) override {
    auto instance = DescribeTargetInstance(ctx);
    if (!instance) return MakeError(instance.error());
    Json volumes = Json::array();
    std::vector<std::string> ids;
    for (const Json& m : instance->value("BlockDeviceMappings", Json::array())) {
      if (!m.contains("Ebs")) continue;
      volumes.push_back(Json{{"volume_id", Str(m["Ebs"], "VolumeId")}, {"device", Str(m, "DeviceName")}});
      ids.push_back(Str(m["Ebs"], "VolumeId"));
    }
    std::string description =
        ctx.prior_before.is_object() && !Str(ctx.prior_before, "description").empty()
            ? Str(ctx.prior_before, "description")
            : ctx.options->responder + "-" + FormatIso8601(ctx.client->clock()->Now()).substr(0, 10) + "-" +
                  ctx.options->case_id + (series_.empty() ? "" : "-preserve-" + series_);
    Json o = {{"volumes", volumes},
              {"instance_type", Str(*instance, "InstanceType")},
              {"root_device_type", Str(*instance, "RootDeviceType")},
              {"description", description},
              {"existing", Json::object()},
              {"existing_gib", Json::object()}};
    if (!ids.empty()) {
      Json input = Filters("volume-id", ids);
      input["OwnerIds"] = {"self"};
      auto snaps = ctx.CallAll("ec2", "DescribeSnapshots", input);
      if (!snaps) return MakeError(snaps.error());
      for (const Json& s : snaps->value("Snapshots", Json::array())) {
        Json tags = s.value("Tags", Json::array());
        bool ours = (TagValue(tags, "cordon:case") == ctx.options->case_id &&
                     TagValue(tags, "cordon:set") == Set()) ||
                    Str(s, "Description") == description;
        if (ours && Str(s, "State") != "error") {
          o["existing"][Str(s, "VolumeId")] = Str(s, "SnapshotId");
          o["existing_gib"][Str(s, "VolumeId")] = s.value("VolumeSize", 0);
        }
      }
    }
    return o;
  }

  bool IsDone(StepContext& ctx, const Json& o) override {
    if (ctx.journal_state != evidence::StepState::kDone) return false;  // evidence must be recorded too
    for (const Json& v : o["volumes"])
      if (!o["existing"].contains(Str(v, "volume_id"))) return false;
    return true;
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    auto now = Observe(ctx);
    if (!now) return MakeError(now.error());
    const std::string description = Str(before, "description");
    Json existing = (*now)["existing"];
    Json base_tags = Json::array({Json{{"Key", "cordon:case"}, {"Value", ctx.options->case_id}},
                                  Json{{"Key", "cordon:instance"}, {"Value", ctx.target.instance_id}},
                                  Json{{"Key", "cordon:responder"}, {"Value", ctx.options->responder}},
                                  Json{{"Key", "cordon:set"}, {"Value", Set()}}});
    Json spec = Json::array({Json{{"ResourceType", "snapshot"}, {"Tags", base_tags}}});
    std::vector<std::string> missing;
    for (const Json& v : (*now)["volumes"])
      if (!existing.contains(Str(v, "volume_id"))) missing.push_back(Str(v, "volume_id"));
    // Snapshots a crashed run already took are recorded with their real size, as new ones are.
    std::map<std::string, int64_t> sizes;
    const Json existing_gib = now->value("existing_gib", Json::object());
    for (const auto& [vol, gib] : existing_gib.items())
      sizes[vol] = gib.is_number_integer() ? gib.get<int64_t>() : 0;
    if (!missing.empty() && missing.size() == (*now)["volumes"].size()) {
      auto out = ctx.Call("ec2", "CreateSnapshots",
                          Json{{"InstanceSpecification",
                                {{"InstanceId", ctx.target.instance_id}, {"ExcludeBootVolume", false}}},
                               {"Description", description},
                               {"TagSpecifications", spec}});
      if (!out) return MakeError(out.error());
      for (const Json& s : out->value("Snapshots", Json::array())) {
        existing[Str(s, "VolumeId")] = Str(s, "SnapshotId");
        sizes[Str(s, "VolumeId")] = s.value("VolumeSize", 0);
      }
    } else {
      // Part of the set exists (a volume was attached since): snapshot only what is missing.
      for (const std::string& vol : missing) {
        auto out =
            ctx.Call("ec2", "CreateSnapshot",
                     Json{{"VolumeId", vol}, {"Description", description}, {"TagSpecifications", spec}});
        if (!out) return MakeError(out.error());
        existing[vol] = Str(*out, "SnapshotId");
        sizes[vol] = out->value("VolumeSize", 0);
      }
    }
    Json snapshots = Json::array();
    for (const Json& v : (*now)["volumes"]) {
      std::string vol = Str(v, "volume_id");
      if (!existing.contains(vol)) continue;  // CreateSnapshots skipped it; reported below
      std::string snap = existing[vol].get<std::string>();
      Json tags = base_tags;
      tags.push_back(Json{{"Key", "cordon:volume"}, {"Value", vol}});
      tags.push_back(Json{{"Key", "cordon:device"}, {"Value", v["device"]}});
      auto t = ctx.Call("ec2", "CreateTags", Json{{"Resources", {snap}}, {"Tags", tags}});
      if (!t) return MakeError(t.error());
      evidence::EvidenceItem item;
      item.target = ctx.target.instance_id;
      item.kind = evidence::EvidenceKind::kSnapshot;
      item.location = snap;
      item.size = sizes.count(vol) ? sizes[vol] * (int64_t{1} << 30) : 0;
      item.source = "ec2:CreateSnapshots " + vol + " (" + Str(v, "device") + ")";
      item.collector = ctx.options->responder;
      item.step = std::string(name());
      item.details =
          Json{{"volume_id", vol}, {"device", v["device"]}, {"set", Set()}, {"description", description}};
      if (ctx.options->lock.enabled()) {
        auto locked = LockCaseSnapshot(ctx, snap, ctx.options->lock);
        if (!locked) return MakeError(locked.error());
        item.details["lock"] = *locked;
      }
      auto added = ctx.store->evidence().AddEvidence(item);
      if (!added) return MakeError(added.error());
      Json recorded{{"snapshot_id", snap}, {"volume_id", vol}, {"device", v["device"]}};
      if (item.details.contains("lock")) recorded["lock"] = item.details["lock"];
      snapshots.push_back(recorded);
    }
    if (snapshots.size() != (*now)["volumes"].size())
      return MakeError(ErrorKind::kConflict, "not every EBS volume got a snapshot: " + existing.dump());
    bool instance_store = Str(*now, "root_device_type") == "instance-store";
    auto types = ctx.Call("ec2", "DescribeInstanceTypes", Json{{"InstanceTypes", {(*now)["instance_type"]}}});
    Json storage;
    if (types) {
      for (const Json& t : types->value("InstanceTypes", Json::array()))
        if (t.value("InstanceStorageSupported", false)) {
          instance_store = true;
          storage = t.value("InstanceStorageInfo", Json());
        }
    }
    if (instance_store) {
      ctx.notes.push_back("instance-store volumes cannot be snapshotted: " + Str(*now, "instance_type") +
                          " has instance storage" + (storage.is_null() ? "" : " " + storage.dump()) +
                          "; collect it from inside the instance if needed");
      ctx.partial = true;
    }
    ctx.detail = std::to_string(snapshots.size()) + " snapshots" +
                 (instance_store ? ", instance store not captured" : "");
    return Json{{"set", Set()},
                {"description", description},
                {"snapshots", snapshots},
                {"instance_store", instance_store}};
  }

 private:
  std::string series_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Step> MakeSnapshotStep() { return std::make_unique<SnapshotStep>(""); }
std::unique_ptr<Step> MakeSeriesSnapshotStep(std::string series) {
  return std::make_unique<SnapshotStep>(std::move(series));
}

}  // namespace cordon::response
