// snapshot (rule 6): one crash-consistent CreateSnapshots set of every EBS volume (boot volume
// included), tagged cordon:case, cordon:instance, cordon:responder, cordon:set, then per snapshot
// cordon:volume and cordon:device; described "<responder>-<date>-<case>". CreateSnapshots takes no
// client token, so a rerun first looks for the set's snapshots (by tags, or by volume and the
// recorded description) and only creates what is missing: snapshots are never duplicated. Nor within
// a run: each create is tagged cordon:request=<uuid>, and after a failure that may have acted the
// client looks for that tag before it sends again (CreateOnce, CallOptions::find_effect). A snapshot
// made twice anyway, in this run or in a crashed one, is recorded too (result "duplicates"), never
// orphaned.
// Instance-store volumes cannot be snapshotted; the case says so in a note.
// With --lock-snapshots each snapshot is locked (LockSnapshot) right after it is tagged, before it is
// recorded, and the lock goes into its evidence row (details.lock).
// `preserve` runs the same step as "preserve-snapshot-<n>" with cordon:set=preserve-<n>.
// Snapshots are evidence only once `completed` (issue 13; snapshot_wait.h): the step then waits, up to
// --snapshot-timeout, for the set. A snapshot that ends in `error` is journaled, kept, and retried
// once as set <set>-retry (CreateSnapshot of its volume, tagged cordon:retry-of=<failed snapshot>);
// a retry that fails too fails the step. When the time is up, the step is done but partial (exit 6),
// its result lists the pending snapshots, and a rerun waits on the recorded set (never a new one).
// Several failed volumes are retried one by one, so their retries are not crash-consistent with
// each other (the first set was): a rare case not worth a CreateSnapshots with exclusions.
#include <algorithm>
#include <map>
#include <set>

#include "aws/model/validate.h"
#include "base/time.h"
#include "response/after_effect.h"
#include "response/fleet_state.h"
#include "response/live_state.h"
#include "response/observation.h"
#include "response/snapshot_lock.h"
#include "response/snapshot_wait.h"
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
  // The set that retries the snapshots of Set() that ended in error, once.
  std::string RetrySet() const { return Set() + "-retry"; }

  Result<Json> Observe(StepContext& ctx) override {
    // Which volumes are attached no step changes: the fleet read's instance serves. The snapshots
    // below are read live (the probe that keeps a rerun from taking a set twice).
    const TargetState* f = FleetTarget(ctx);
    auto instance = f != nullptr ? Result<Json>(*f->instance) : DescribeTargetInstance(ctx);
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
              {"existing_gib", Json::object()},
              {"existing_state", Json::object()},
              {"retries", Json::object()},
              {"retries_gib", Json::object()},
              {"extra", Json::array()},
              {"retry_extra", Json::array()}};
    // The probe that keeps a rerun from taking a set twice is needed only when a run of this step has
    // begun on the case before: DoApply creates snapshots only after its intent is journaled, so with
    // no record of the step (kNone) none of the set's can exist.
    if (!ids.empty() && ctx.journal_state != evidence::StepState::kNone) {
      Json input = Filters("volume-id", ids);
      input["OwnerIds"] = {"self"};
      auto snaps = ctx.CallAll("ec2", "DescribeSnapshots", input);
      if (!snaps) return MakeError(snaps.error());
      for (const Json& s : snaps->value("Snapshots", Json::array())) {
        Json tags = s.value("Tags", Json::array());
        const bool this_case = TagValue(tags, "cordon:case") == ctx.options->case_id;
        const std::string vol = Str(s, "VolumeId");
        const Json found = {{"SnapshotId", Str(s, "SnapshotId")},
                            {"VolumeId", vol},
                            {"VolumeSize", s.value("VolumeSize", 0)},
                            {"State", Str(s, "State")}};
        if (this_case && TagValue(tags, "cordon:set") == RetrySet()) {
          // A second retry snapshot of a volume (a crashed run's lost answer) is recorded too.
          if (o["retries"].contains(vol)) {
            o["retry_extra"].push_back(found);
            continue;
          }
          o["retries"][vol] = Str(s, "SnapshotId");
          o["retries_gib"][vol] = s.value("VolumeSize", 0);
          continue;
        }
        bool ours =
            (this_case && TagValue(tags, "cordon:set") == Set()) || Str(s, "Description") == description;
        if (!ours) continue;
        // A snapshot in error stays the set's (kept as evidence it failed): it is retried once, as
        // the retry set, never taken again into this set. A good one wins over a failed one; the
        // other of two (a crashed run's request made twice) is recorded as a duplicate, never orphaned.
        if (o["existing"].contains(vol)) {
          if (Str(s, "State") == "error" || Str(o["existing_state"], vol) != "error") {
            o["extra"].push_back(found);
            continue;
          }
          o["extra"].push_back(Json{{"SnapshotId", o["existing"][vol]},
                                    {"VolumeId", vol},
                                    {"VolumeSize", o["existing_gib"][vol]},
                                    {"State", "error"}});
        }
        o["existing"][vol] = Str(s, "SnapshotId");
        o["existing_gib"][vol] = s.value("VolumeSize", 0);
        o["existing_state"][vol] = Str(s, "State");
      }
    }
    return o;
  }

  bool IsDone(StepContext& ctx, const Json& o) override {
    if (ctx.journal_state != evidence::StepState::kDone) return false;  // evidence must be recorded too
    for (const Json& v : o["volumes"])
      if (!o["existing"].contains(Str(v, "volume_id"))) return false;
    // A set recorded with snapshots still pending (--snapshot-timeout passed) is not done: the rerun
    // waits for them and records their completion.
    auto last = ctx.store->journal().LastOutcome(ctx.target.instance_id, name());
    if (!last || !last->payload.is_object()) return false;
    const Json result = last->payload.value("result", Json::object());
    return !result.is_object() || result.value("pending", Json::array()).empty();
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    // The snapshots that exist now, read a moment ago by Observe (its DescribeSnapshots is the
    // probe that keeps a rerun from taking a set twice).
    auto now = ObservedOr(ctx, [&] { return Observe(ctx); });
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
    // A volume's second snapshot (a request made twice when its answer was lost) is recorded too:
    // evidence is never left unaccounted.
    Json twice = now->value("extra", Json::array());
    auto take = [&](const Json& s) {
      const std::string vol = Str(s, "VolumeId");
      if (existing.contains(vol)) {
        twice.push_back(s);
        return;
      }
      existing[vol] = Str(s, "SnapshotId");
      sizes[vol] = s.value("VolumeSize", 0);
    };
    if (!missing.empty() && missing.size() == (*now)["volumes"].size()) {
      auto out = CreateOnce(ctx, "CreateSnapshots",
                            Json{{"InstanceSpecification",
                                  {{"InstanceId", ctx.target.instance_id}, {"ExcludeBootVolume", false}}},
                                 {"Description", description},
                                 {"TagSpecifications", spec}});
      if (!out) return MakeError(out.error());
      for (const Json& s : *out) take(s);
    } else {
      // Part of the set exists (a volume was attached since): snapshot only what is missing.
      for (const std::string& vol : missing) {
        auto out =
            CreateOnce(ctx, "CreateSnapshot",
                       Json{{"VolumeId", vol}, {"Description", description}, {"TagSpecifications", spec}});
        if (!out) return MakeError(out.error());
        for (const Json& s : *out) take(s);
      }
    }
    Json snapshots = Json::array();
    for (const Json& v : (*now)["volumes"]) {
      std::string vol = Str(v, "volume_id");
      if (!existing.contains(vol)) continue;  // CreateSnapshots skipped it; reported below
      auto recorded =
          Record(ctx, existing[vol].get<std::string>(), v, base_tags, sizes.count(vol) ? sizes[vol] : 0,
                 "ec2:CreateSnapshots", Json{{"set", Set()}, {"description", description}});
      if (!recorded) return MakeError(recorded.error());
      snapshots.push_back(*recorded);
    }
    if (snapshots.size() != (*now)["volumes"].size())
      return MakeError(ErrorKind::kConflict, "not every EBS volume got a snapshot: " + existing.dump());
    Json duplicates = Json::array();
    for (const Json& s : twice) {
      Json volume = {{"volume_id", Str(s, "VolumeId")}, {"device", ""}};
      for (const Json& v : (*now)["volumes"])
        if (Str(v, "volume_id") == Str(s, "VolumeId")) volume = v;
      auto recorded = Record(ctx, Str(s, "SnapshotId"), volume, base_tags, s.value("VolumeSize", int64_t{0}),
                             "ec2:CreateSnapshots (a second snapshot: a lost answer made the request twice)",
                             Json{{"set", Set()}, {"description", description}, {"duplicate", true}});
      if (!recorded) return MakeError(recorded.error());
      duplicates.push_back(*recorded);
      ctx.notes.push_back("snapshot " + Str(s, "SnapshotId") + " of " + Str(s, "VolumeId") +
                          " was taken twice (a request whose answer was lost): both are recorded and kept");
    }
    auto waited = AwaitCompletion(ctx, *now, description, &snapshots);
    if (!waited) return MakeError(waited.error());
    bool instance_store = Str(*now, "root_device_type") == "instance-store";
    // An instance's type changes only while it is stopped, and no step stops it: the fleet read's
    // answer for its type serves.
    const TargetState* f = FleetTarget(ctx);
    auto types =
        f != nullptr && f->instance_types
            ? Result<Json>(Json{{"InstanceTypes", *f->instance_types}})
            : ctx.Call("ec2", "DescribeInstanceTypes", Json{{"InstanceTypes", {(*now)["instance_type"]}}});
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
    const Json pending = (*waited)["pending"];
    Json result = {{"set", Set()},           {"description", description},
                   {"snapshots", snapshots}, {"retries", (*waited)["retries"]},
                   {"pending", pending},     {"instance_store", instance_store}};
    if (!duplicates.empty()) result["duplicates"] = duplicates;
    ctx.detail =
        std::to_string(snapshots.size()) + " snapshots" +
        ((*waited)["retries"].empty() ? ""
                                      : ", " + std::to_string((*waited)["retries"].size()) + " retried") +
        (pending.empty() ? "" : ", still pending: " + Str(*waited, "pending_summary")) +
        (instance_store ? ", instance store not captured" : "");
    return result;
  }

  // Sends `op` (CreateSnapshots, or CreateSnapshot) with a cordon:request tag unique to this request.
  // Neither takes a client token, so a resend after an answer lost once the snapshots were made would
  // make a second set, which nobody would record: the client looks for the request's snapshots (by
  // that tag) before it sends again or gives up after a failure that may have acted (CallOptions::
  // find_effect), and ends the call with them when there are some. Returns the snapshots made
  // ({"SnapshotId", "VolumeId", "VolumeSize"}); after a resend, every one the request's tag finds as
  // well, so that a set made twice (a look that did not see the first one yet) is recorded, never
  // orphaned.
  Result<Json> CreateOnce(StepContext& ctx, std::string_view op, Json input) {
    const std::string token = aws::NewUuid();
    input["TagSpecifications"][0]["Tags"].push_back(Json{{"Key", "cordon:request"}, {"Value", token}});
    auto made_by_request = [&]() -> Result<Json> {
      auto made = ctx.CallAll(
          "ec2", "DescribeSnapshots",
          Json{{"OwnerIds", {"self"}},
               {"Filters", Json::array({Json{{"Name", "tag:cordon:request"}, {"Values", {token}}}})}});
      if (!made) return MakeError(made.error());
      return made->value("Snapshots", Json::array());
    };
    bool looked = false;
    Json found = Json::array();
    aws::CallOptions options;
    options.region = ctx.target.region;
    options.find_effect = [&](const Error&) -> Result<std::optional<Json>> {
      looked = true;
      auto made = made_by_request();
      if (!made) return MakeError(made.error());
      if (made->empty()) return std::optional<Json>();
      found = *made;
      // Shaped as the operation's answer: CreateSnapshots lists its set, CreateSnapshot is one snapshot.
      return std::optional<Json>(op == "CreateSnapshots" ? Json{{"Snapshots", found}} : found[0]);
    };
    auto out = ctx.client->Call("ec2", op, input, options);
    if (!out) return MakeError(out.error());
    if (!found.empty()) return found;
    Json sent = op == "CreateSnapshots" ? out->value("Snapshots", Json::array()) : Json::array({*out});
    if (!looked) return sent;
    // Sent again after a look that found nothing: the lost attempt may still have made a set that the
    // look did not see yet (DescribeSnapshots is eventually consistent). One more look finds both.
    auto made = made_by_request();
    if (!made) return MakeError(made.error());
    return UniqueSnapshots(*made, sent);
  }

  // The snapshots of `a` and `b`, each once (by SnapshotId).
  static Json UniqueSnapshots(const Json& a, const Json& b) {
    Json out = Json::array();
    std::set<std::string> seen;
    for (const Json* list : {&a, &b})
      for (const Json& s : *list)
        if (seen.insert(Str(s, "SnapshotId")).second) out.push_back(s);
    return out;
  }

  // Tags one snapshot of the case (`tags` plus cordon:volume and cordon:device), locks it with
  // --lock-snapshots, and records it as evidence. Returns the entry the step's result lists.
  Result<Json> Record(StepContext& ctx, const std::string& snap, const Json& volume, Json tags, int64_t gib,
                      const std::string& source, Json details) {
    const std::string vol = Str(volume, "volume_id");
    tags.push_back(Json{{"Key", "cordon:volume"}, {"Value", vol}});
    tags.push_back(Json{{"Key", "cordon:device"}, {"Value", volume["device"]}});
    auto t = ctx.Call("ec2", "CreateTags", Json{{"Resources", {snap}}, {"Tags", tags}});
    if (!t) return MakeError(t.error());
    evidence::EvidenceItem item;
    item.target = ctx.target.instance_id;
    item.kind = evidence::EvidenceKind::kSnapshot;
    item.location = snap;
    item.size = gib * (int64_t{1} << 30);
    item.source = source + " " + vol + " (" + Str(volume, "device") + ")";
    item.collector = ctx.options->responder;
    item.step = std::string(name());
    item.details = std::move(details);
    item.details["volume_id"] = vol;
    item.details["device"] = volume["device"];
    if (ctx.options->lock.enabled()) {
      auto locked = LockCaseSnapshot(ctx, snap, ctx.options->lock);
      if (!locked) return MakeError(locked.error());
      item.details["lock"] = *locked;
    }
    auto added = ctx.store->evidence().AddEvidence(item);
    if (!added) return MakeError(added.error());
    Json recorded{{"snapshot_id", snap}, {"volume_id", vol}, {"device", volume["device"]}};
    if (item.details.contains("lock")) recorded["lock"] = item.details["lock"];
    if (item.details.contains("retry_of")) recorded["retry_of"] = item.details["retry_of"];
    return recorded;
  }

  // Journals the states of snapshots at once (not only with the outcome), so that a failed step
  // still leaves in the journal which snapshot failed and why.
  Status NoteStates(StepContext& ctx, const std::string& text, const Json& states) {
    auto noted =
        ctx.store->journal().Append(evidence::kind::kNote, ctx.target.instance_id, std::string(name()),
                                    Json{{"text", text}, {"snapshots", states}});
    if (!noted) return MakeError(noted.error());
    return Ok();
  }

  // The retry snapshot of the failed snapshot `failed`, once: the one a crashed run made (found by its
  // tags), else a new one, tagged cordon:set=<set>-retry and cordon:retry-of=<failed snapshot>.
  Result<Json> Retry(StepContext& ctx, const Json& now, const std::string& description,
                     const SnapshotState& failed) {
    Json volume = {{"volume_id", failed.volume_id}, {"device", ""}};
    for (const Json& v : now["volumes"])
      if (Str(v, "volume_id") == failed.volume_id) volume = v;
    Json tags = Json::array({Json{{"Key", "cordon:case"}, {"Value", ctx.options->case_id}},
                             Json{{"Key", "cordon:instance"}, {"Value", ctx.target.instance_id}},
                             Json{{"Key", "cordon:responder"}, {"Value", ctx.options->responder}},
                             Json{{"Key", "cordon:set"}, {"Value", RetrySet()}},
                             Json{{"Key", "cordon:retry-of"}, {"Value", failed.snapshot_id}}});
    const Json retries = now.value("retries", Json::object());
    std::string snap = retries.contains(failed.volume_id) ? retries[failed.volume_id].get<std::string>() : "";
    int64_t gib = now.value("retries_gib", Json::object()).value(failed.volume_id, int64_t{0});
    // The same retry made twice (a lost answer, in this run or a crashed one): the second is evidence
    // too, recorded, never orphaned.
    Json twice = Json::array();
    for (const Json& s : now.value("retry_extra", Json::array()))
      if (Str(s, "VolumeId") == failed.volume_id) twice.push_back(s);
    if (snap.empty()) {
      auto out = CreateOnce(
          ctx, "CreateSnapshot",
          Json{{"VolumeId", failed.volume_id},
               {"Description", description + " retry of " + failed.snapshot_id},
               {"TagSpecifications", Json::array({Json{{"ResourceType", "snapshot"}, {"Tags", tags}}})}});
      if (!out) return MakeError(out.error());
      if (out->empty()) return MakeError(ErrorKind::kInternal, "CreateSnapshot returned no snapshot");
      snap = Str((*out)[0], "SnapshotId");
      gib = (*out)[0].value("VolumeSize", int64_t{0});
      for (size_t k = 1; k < out->size(); ++k) twice.push_back((*out)[k]);
    }
    for (const Json& s : twice) {
      auto recorded =
          Record(ctx, Str(s, "SnapshotId"), volume, tags, s.value("VolumeSize", int64_t{0}),
                 "ec2:CreateSnapshot (a second retry snapshot: a lost answer made the request twice)",
                 Json{{"set", RetrySet()},
                      {"retry_of", failed.snapshot_id},
                      {"description", description},
                      {"duplicate", true}});
      if (!recorded) return MakeError(recorded.error());
      ctx.notes.push_back("snapshot " + Str(s, "SnapshotId") + " of " + failed.volume_id +
                          " was taken twice (a retry whose answer was lost): both are recorded and kept");
    }
    return Record(ctx, snap, volume, tags, gib, "ec2:CreateSnapshot (retry of " + failed.snapshot_id + ")",
                  Json{{"set", RetrySet()}, {"retry_of", failed.snapshot_id}, {"description", description}});
  }

  // Waits (up to --snapshot-timeout in all) until every snapshot of the set is completed, retrying
  // each one that ended in error once. Writes each snapshot's state into `*snapshots`; returns
  // {"retries": [...], "pending": [ids], "pending_summary"}. Fails when a retry failed too.
  Result<Json> AwaitCompletion(StepContext& ctx, const Json& now, const std::string& description,
                               Json* snapshots) {
    const TimePoint deadline = ctx.client->clock()->Now() + SnapshotTimeout();
    std::map<std::string, std::string> originals;
    for (const Json& s : *snapshots) originals[Str(s, "snapshot_id")] = Str(s, "volume_id");
    auto first = WaitForSnapshots(ctx, originals, deadline, Set());
    if (!first) return MakeError(first.error());
    Json retries = Json::array();
    std::map<std::string, std::string> retried;  // retry snapshot -> volume
    for (const SnapshotState& f : first->failed) {
      Status noted = NoteStates(ctx,
                                "snapshot " + f.snapshot_id + " of " + f.volume_id + " ended in " + f.state +
                                    (f.message.empty() ? "" : " (" + f.message + ")") +
                                    "; it is kept as taken and retried once, as set " + RetrySet(),
                                Json::array({f.ToJson()}));
      if (!noted) return MakeError(noted.error());
      auto retry = Retry(ctx, now, description, f);
      if (!retry) return MakeError(retry.error());
      retried[Str(*retry, "snapshot_id")] = f.volume_id;
      retries.push_back(*retry);
    }
    SetStates second;
    if (!retried.empty()) {
      auto w = WaitForSnapshots(ctx, retried, deadline, RetrySet());
      if (!w) return MakeError(w.error());
      second = std::move(*w);
    }
    MergeStates(*first, snapshots);
    MergeStates(second, &retries);
    if (!second.failed.empty()) {
      std::string volumes;
      for (const SnapshotState& f : second.failed) volumes += (volumes.empty() ? "" : ", ") + f.volume_id;
      Status noted = NoteStates(ctx, "retry failed: " + second.Summary(), second.ToJson());
      if (!noted) return MakeError(noted.error());
      return MakeError(ErrorKind::kService,
                       "the snapshots of " + volumes + " failed twice (set " + Set() + ": " +
                           first->Summary() + "; set " + RetrySet() + ": " + second.Summary() +
                           "); every snapshot taken is kept; snapshot these volumes by hand");
    }
    Json pending = Json::array();
    std::string summary;
    for (const SetStates* states : {&*first, &second})
      for (const SnapshotState& p : states->pending) {
        pending.push_back(p.snapshot_id);
        summary += (summary.empty() ? "" : ", ") + p.snapshot_id + " (" + p.volume_id + ")" +
                   (p.progress.empty() ? "" : " " + p.progress);
      }
    if (!pending.empty()) {
      ctx.partial = true;
      ctx.notes.push_back(
          "snapshots still pending after --snapshot-timeout " + std::to_string(SnapshotTimeout().count()) +
          "s: " + summary +
          "; they are not evidence until completed: rerun to wait for them (no new set is taken)");
    }
    return Json{{"retries", retries}, {"pending", pending}, {"pending_summary", summary}};
  }

  // Writes each snapshot's state (state, progress, message, completion time) into its entry.
  static void MergeStates(const SetStates& states, Json* entries) {
    std::map<std::string, Json> by_id;
    for (const Json& s : states.ToJson()) by_id[Str(s, "snapshot_id")] = s;
    for (Json& e : *entries)
      if (auto it = by_id.find(Str(e, "snapshot_id")); it != by_id.end())
        for (const auto& [key, value] : it->second.items()) e[key] = value;
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
