// lab attach: one volume from each of the case's snapshots (or those asked for), in the
// workstation's AZ, tagged with where it came from, attached at a free device; the step's journal
// outcome is the chain of custody (snapshot -> volume -> workstation device), one note per volume.
//
// Idempotent: a volume is found again by its tags (cordon:case, cordon:role=lab,
// cordon:source-snapshot) before one is made, and CreateVolume carries a ClientToken derived from
// the case, the snapshot and the workstation, so a retry after a lost answer makes no second volume.
#include <algorithm>
#include <set>

#include "base/hash.h"
#include "response/after_effect.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_share.h"
#include "response/lab/lab_state.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"

namespace cordon::response::lab {
namespace {

// Devices AWS recommends for EBS data volumes on Linux (/dev/sd[f-p]); NVMe instances show them as
// /dev/nvme<N>n1 with the volume id as the serial.
std::string FreeDevice(const std::set<std::string>& used) {
  for (char c = 'f'; c <= 'p'; ++c) {
    std::string dev = std::string("/dev/sd") + c;
    if (!used.count(dev) && !used.count(std::string("/dev/xvd") + c)) return dev;
  }
  return "";
}

class LabAttachStep : public Step {
 public:
  explicit LabAttachStep(LabOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "lab-attach"; }
  bool Cycles() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    auto lab = account.EnterRecordedLab();
    if (!lab) return MakeError(lab.error());
    auto snaps = account.InSuspectAccount([&] {
      return ctx.CallAll("ec2", "DescribeSnapshots",
                         Json{{"OwnerIds", {"self"}},
                              {"Filters", {Json{{"Name", "tag:cordon:case"}, {"Values", {CaseIdOf(ctx)}}}}}});
    });
    if (!snaps) return MakeError(snaps.error());
    Json wanted = Json::array();
    for (const Json& s : snaps->value("Snapshots", Json::array())) {
      const std::string id = Str(s, "SnapshotId");
      if (!TagValue(s.value("Tags", Json::array()), "cordon:role").empty())
        continue;  // a lab copy, not evidence
      if (!options_.snapshots.empty() &&
          std::find(options_.snapshots.begin(), options_.snapshots.end(), id) == options_.snapshots.end())
        continue;
      const Json tags = s.value("Tags", Json::array());
      wanted.push_back(Json{{"snapshot", id},
                            {"state", Str(s, "State")},
                            {"source_volume", TagValue(tags, "cordon:volume")},
                            {"source_device", TagValue(tags, "cordon:device")},
                            {"source_instance", TagValue(tags, "cordon:instance")}});
    }
    for (const std::string& asked : options_.snapshots)
      if (std::none_of(wanted.begin(), wanted.end(), [&](const Json& w) { return w["snapshot"] == asked; }))
        return MakeError(ErrorKind::kNotFound,
                         "snapshot " + asked + " is not one of case " + CaseIdOf(ctx) + "'s");
    auto volumes = ctx.CallAll("ec2", "DescribeVolumes",
                               Json{{"Filters", CaseRoleFilters(CaseIdOf(ctx), {std::string(kLabRole)})}});
    if (!volumes) return MakeError(volumes.error());
    Json lab_volumes = Json::array();
    for (const Json& v : volumes->value("Volumes", Json::array())) {
      Json attached_to, device;
      for (const Json& a : v.value("Attachments", Json::array()))
        if (Str(a, "State") == "attached" || Str(a, "State") == "attaching") {
          attached_to = a["InstanceId"];
          device = a["Device"];
        }
      lab_volumes.push_back(
          Json{{"volume", v["VolumeId"]},
               {"state", v["State"]},
               {"availability_zone", v["AvailabilityZone"]},
               {"snapshot", TagValue(v.value("Tags", Json::array()), "cordon:source-snapshot")},
               {"attached_to", attached_to},
               {"device", device}});
    }
    return Json{{"workstation", lab->workstation_id},
                {"availability_zone", lab->availability_zone},
                {"snapshots", wanted},
                {"volumes", lab_volumes}};
  }

  bool IsDone(StepContext& ctx, const Json& o) override {
    if (o["snapshots"].empty()) return false;  // DoApply says why
    // A run killed after attaching but before its outcome journaled no custody: run again, which
    // finds every volume attached and journals the chain.
    if (ctx.journal_state == evidence::StepState::kInterrupted) return false;
    for (const Json& s : o["snapshots"])
      if (Attached(o, Str(s, "snapshot")).is_null()) return false;
    return true;
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    if (before["snapshots"].empty())
      return MakeError(ErrorKind::kNotFound,
                       "case " + CaseIdOf(ctx) + " has no snapshots to attach; contain or preserve first");
    std::string pending;
    for (const Json& s : before["snapshots"])
      if (Str(s, "state") != "completed")
        pending += (pending.empty() ? "" : ", ") + Str(s, "snapshot") + " (" + Str(s, "state") + ")";
    if (!pending.empty())
      return MakeError(ErrorKind::kConflict,
                       "snapshots not completed yet: " + pending + "; rerun lab attach once they are");
    auto instance = ctx.Call("ec2", "DescribeInstances", Json{{"InstanceIds", {before["workstation"]}}});
    if (!instance) return MakeError(instance.error());
    std::set<std::string> used;
    for (const Json& m :
         FirstOf(FirstOf(*instance, "Reservations"), "Instances").value("BlockDeviceMappings", Json::array()))
      used.insert(Str(m, "DeviceName"));
    std::string key;  // the case key, for a lab in the forensic account
    if (account.cross_account()) {
      auto made = account.InSuspectAccount([&] { return EnsureCaseKey(ctx, account.account()); });
      if (!made) return MakeError(made.error());
      key = *made;
    }
    Json custody = Json::array();
    for (const Json& s : before["snapshots"]) {
      std::string from = Str(s, "snapshot");  // what the volume is made from: the snapshot or its lab copy
      if (account.cross_account()) {
        auto copy = account.InSuspectAccount(
            [&] { return EnsureSharedCopy(ctx, Str(s, "snapshot"), key, account.account()); });
        if (!copy) return MakeError(copy.error());
        from = *copy;
      }
      auto link = AttachOne(ctx, before, s, from, key, &used);
      if (!link) return MakeError(link.error());
      custody.push_back(*link);
      std::string via = account.cross_account() ? " -> copy " + from + " (case key " + key +
                                                      ", shared with account " + account.account() + " only)"
                                                : "";
      ctx.notes.push_back("custody: " + Str(s, "snapshot") + " (of " + Str(s, "source_volume") + " " +
                          Str(s, "source_device") + " on " + Str(s, "source_instance") + ")" + via + " -> " +
                          Str(*link, "volume") + " -> " + Str(before, "workstation") + " " +
                          Str(*link, "device") +
                          (account.cross_account() ? " in account " + account.account() : ""));
    }
    ctx.detail = std::to_string(custody.size()) + " volumes attached to " + Str(before, "workstation");
    return Json{{"custody", custody}, {"workstation", before["workstation"]}};
  }

 private:
  // The lab volume of `snapshot` attached to the workstation, or null.
  static Json Attached(const Json& o, const std::string& snapshot) {
    for (const Json& v : o["volumes"])
      if (Str(v, "snapshot") == snapshot && v["attached_to"] == o["workstation"]) return v;
    return Json();
  }

  Result<Json> AttachOne(StepContext& ctx, const Json& o, const Json& snap, const std::string& from,
                         const std::string& key, std::set<std::string>* used) {
    const std::string snapshot = Str(snap, "snapshot"), ws = Str(o, "workstation");
    Json link = {{"snapshot", snapshot},
                 {"source_volume", snap["source_volume"]},
                 {"source_device", snap["source_device"]},
                 {"source_instance", snap["source_instance"]},
                 {"workstation", ws}};
    if (Json done = Attached(o, snapshot); !done.is_null()) {
      link["volume"] = done["volume"];
      link["device"] = done["device"];
      return link;
    }
    if (from != snapshot) link["lab_copy"] = from;
    auto volume = FindOrCreateVolume(ctx, o, snap, from, key);
    if (!volume) return MakeError(volume.error());
    if (Status s = ctx.client->Wait("ec2", "VolumeAvailable", Json{{"VolumeIds", {*volume}}},
                                    {.region = ctx.target.region});
        !s)
      return MakeError(s.error());
    std::string device = FreeDevice(*used);
    if (device.empty())
      return MakeError(ErrorKind::kConflict,
                       "the workstation " + ws + " has no free device left (/dev/sdf-p)");
    // A repeat after the attachment took effect finds the volume in use (VolumeInUse): done when it
    // is attached to the workstation at that device.
    auto a = AcceptAfterEffect(
        ctx.Call("ec2", "AttachVolume", Json{{"VolumeId", *volume}, {"InstanceId", ws}, {"Device", device}}),
        {"VolumeInUse"}, [&]() -> Result<bool> {
          auto v = ctx.Call("ec2", "DescribeVolumes", Json{{"VolumeIds", {*volume}}});
          if (!v) return MakeError(v.error());
          for (const Json& vol : v->value("Volumes", Json::array()))
            for (const Json& att : vol.value("Attachments", Json::array()))
              if (Str(att, "InstanceId") == ws && Str(att, "Device") == device) return true;
          return false;
        });
    if (!a) return MakeError(a.error());
    used->insert(device);
    if (Status s = ctx.client->Wait("ec2", "VolumeInUse", Json{{"VolumeIds", {*volume}}},
                                    {.region = ctx.target.region});
        !s)
      return MakeError(s.error());
    link["volume"] = *volume;
    link["device"] = device;
    return link;
  }

  // The snapshot's lab volume in the workstation's AZ that is not attached elsewhere, else a new one.
  Result<std::string> FindOrCreateVolume(StepContext& ctx, const Json& o, const Json& snap,
                                         const std::string& from, const std::string& key) {
    const std::string snapshot = Str(snap, "snapshot"), az = Str(o, "availability_zone");
    for (const Json& v : o["volumes"])
      if (Str(v, "snapshot") == snapshot && Str(v, "availability_zone") == az && v["attached_to"].is_null() &&
          (Str(v, "state") == "available" || Str(v, "state") == "creating"))
        return Str(v, "volume");
    auto tag = [](const char* k, const std::string& v) { return Json{{"Key", k}, {"Value", v}}; };
    Json tags = Json::array({tag("cordon:case", CaseIdOf(ctx)), tag("cordon:role", std::string(kLabRole)),
                             tag("cordon:source-snapshot", snapshot),
                             tag("cordon:source-volume", Str(snap, "source_volume")),
                             tag("cordon:source-device", Str(snap, "source_device")),
                             tag("cordon:source-instance", Str(snap, "source_instance")),
                             tag("Name", "cordon-lab-" + CaseIdOf(ctx) + "-" + snapshot)});
    if (from != snapshot) tags.push_back(tag("cordon:lab-copy", from));
    Json input = {{"SnapshotId", from},
                  {"AvailabilityZone", az},
                  {"VolumeType", options_.volume_type},
                  {"ClientToken",
                   Sha256Hex(CaseIdOf(ctx) + "/" + snapshot + "/" + Str(o, "workstation")).substr(0, 64)},
                  {"TagSpecifications", {Json{{"ResourceType", "volume"}, {"Tags", tags}}}}};
    if (options_.iops > 0) input["Iops"] = options_.iops;
    const std::string kms = options_.kms_key.empty() ? key : options_.kms_key;
    if (!kms.empty()) {
      input["Encrypted"] = true;
      input["KmsKeyId"] = kms;
    }
    auto created = ctx.Call("ec2", "CreateVolume", input);
    if (!created) return MakeError(created.error());
    return Str(*created, "VolumeId");
  }

  LabOptions options_;
};

}  // namespace

std::unique_ptr<Step> MakeLabAttachStep(const LabOptions& options) {
  return std::make_unique<LabAttachStep>(options);
}

}  // namespace cordon::response::lab
