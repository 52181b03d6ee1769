// cleanup-check-evidence: what must be true before the suspect may be destroyed. Only reads; it is
// checked again on every run (the snapshots' state changes, a capture may be rerun), and a
// terminated suspect is checked against its recorded pre-state.
#include <map>

#include "base/strings.h"
#include "response/cleanup/cleanup_steps.h"
#include "response/isolation_groups.h"
#include "response/lab/lab.h"
#include "response/live_state.h"

namespace cordon::response::cleanup {
namespace {

// The suspect's EBS volumes as contain recorded them: [{"volume", "device"}].
Result<Json> RecordedVolumes(const StepContext& ctx) {
  auto recorded = ctx.store->pre_state().PreState(ctx.target.instance_id);
  if (!recorded) return MakeError(recorded.error());
  if (!*recorded)
    return MakeError(ErrorKind::kNotFound, "case " + CaseIdOf(ctx) + " recorded no state of " +
                                               ctx.target.instance_id + "; run contain first");
  Json volumes = Json::array();
  const Json instance = (*recorded)->state.value("instance", Json::object());
  for (const Json& m : instance.value("BlockDeviceMappings", Json::array())) {
    const Json ebs = m.value("Ebs", Json::object());
    if (!Str(ebs, "VolumeId").empty())
      volumes.push_back(Json{{"volume", ebs["VolumeId"]}, {"device", m.value("DeviceName", "")}});
  }
  return volumes;
}

// Snapshot id -> state, for the case's snapshot evidence of the suspect; and volume -> snapshot ids.
struct CaseSnapshots {
  std::map<std::string, std::vector<std::string>> by_volume;
  std::map<std::string, std::string> state;  // "" when AWS no longer has it
};

Result<CaseSnapshots> ReadCaseSnapshots(const StepContext& ctx,
                                        const std::vector<evidence::EvidenceItem>& items) {
  CaseSnapshots out;
  std::vector<std::string> ids;
  for (const auto& item : items) {
    if (item.kind != evidence::EvidenceKind::kSnapshot) continue;
    out.by_volume[item.details.value("volume_id", "")].push_back(item.location);
    out.state[item.location] = "";
    ids.push_back(item.location);
  }
  if (ids.empty()) return out;
  auto live = ctx.CallAll("ec2", "DescribeSnapshots", Filters("snapshot-id", ids));
  if (!live) return MakeError(live.error());
  for (const Json& s : live->value("Snapshots", Json::array()))
    out.state[Str(s, "SnapshotId")] = Str(s, "State");
  return out;
}

// What is missing of a volume's snapshots: "" when one of them is completed.
std::string VolumeProblem(const Json& volume, const CaseSnapshots& snaps) {
  const std::string id = Str(volume, "volume"), device = Str(volume, "device");
  auto it = snaps.by_volume.find(id);
  if (it == snaps.by_volume.end()) return id + " (" + device + ") has no snapshot in the case";
  std::string states;
  for (const std::string& snap : it->second) {
    const std::string& state = snaps.state.at(snap);
    if (state == "completed") return "";
    states += (states.empty() ? "" : ", ") + snap + " " + (state.empty() ? "no longer exists" : state);
  }
  return id + " (" + device + ") has no completed snapshot yet: " + states;
}

// "" when no memory capture was started, or it finished with its hashes verified (capture-memory
// records the memory image only after the host's and the evidence side's hashes agreed).
Result<std::string> MemoryProblem(const StepContext& ctx, const std::vector<evidence::EvidenceItem>& items) {
  auto last = ctx.store->journal().LastOutcome(ctx.target.instance_id, "capture-memory");
  if (!last) return MakeError(last.error());
  if (last->state == evidence::StepState::kNone) return std::string();
  if (last->state != evidence::StepState::kDone)
    return std::string("the memory capture did not finish; rerun contain with --capture-memory");
  for (const auto& item : items)
    if (item.kind == evidence::EvidenceKind::kMemory && !item.sha256.empty()) return std::string();
  if (last->payload.value("already", false)) return std::string();  // skipped: no capture was asked for
  return std::string("the memory capture recorded no verified memory image");
}

class CheckEvidenceStep : public Step {
 public:
  explicit CheckEvidenceStep(CleanupOptions options) : options_(options) {}
  std::string_view name() const override { return "cleanup-check-evidence"; }
  bool Cycles() const override { return true; }  // a fresh verdict on every run, never an old one

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto volumes = RecordedVolumes(ctx);
    if (!volumes) return MakeError(volumes.error());
    auto items = ctx.store->evidence().List(ctx.target.instance_id);
    if (!items) return MakeError(items.error());
    auto snaps = ReadCaseSnapshots(ctx, *items);
    if (!snaps) return MakeError(snaps.error());
    Json missing = Json::array();
    for (const Json& v : *volumes)
      if (std::string p = VolumeProblem(v, *snaps); !p.empty()) missing.push_back("volume " + p);
    auto memory = MemoryProblem(ctx, *items);
    if (!memory) return MakeError(memory.error());
    Json observed = Json::object();
    if (!memory->empty() && options_.accept_missing_memory) observed["memory_waived"] = *memory;
    if (!memory->empty() && !options_.accept_missing_memory)
      missing.push_back(*memory + " (or pass --accept-missing-memory)");
    auto lab = lab::LabLeftovers(ctx, CaseIdOf(ctx));
    if (!lab) return MakeError(lab.error());
    if (!lab->empty())
      missing.push_back("the case's lab is still up; run `cordon lab down --case " + CaseIdOf(ctx) + "`");
    observed["volumes"] = *volumes;
    observed["missing"] = missing;
    return observed;
  }
  bool IsDone(StepContext&, const Json& o) override { return o["missing"].empty(); }
  Result<Json> DoApply(StepContext&, const Json& before) override {
    return MakeError(ErrorKind::kConflict,
                     "not terminating: " + Join(before["missing"].get<std::vector<std::string>>(), "; ") +
                         "; nothing was changed, rerun cleanup then");
  }

 private:
  CleanupOptions options_;
};

}  // namespace

std::unique_ptr<Step> MakeCheckEvidenceStep(const CleanupOptions& options) {
  return std::make_unique<CheckEvidenceStep>(options);
}

}  // namespace cordon::response::cleanup
